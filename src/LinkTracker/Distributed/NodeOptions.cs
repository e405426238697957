namespace LinkTracker.Distributed;

/// <summary>The process's roles (`serve --role edge|api|worker|all`, several allowed).</summary>
public sealed class NodeOptions
{
    public const string Section = "Node";

    /// <summary>Comma-separated roles: edge, api, worker or all.</summary>
    public string Roles { get; set; } = "all";
}
