namespace LinkTracker.Distributed;

/// <summary>The internal endpoints api nodes serve to edge nodes, which hold no database credentials.</summary>
public sealed class InternalOptions
{
    public const string Section = "Internal";

    /// <summary>The shared secret edges present (Authorization: Bearer); at least 32 characters. Api nodes without it serve no internal endpoints.</summary>
    public string? Token { get; set; }

    /// <summary>On an edge node: comma-separated base URLs of the api nodes, e.g. http://10.0.0.11:5001,http://10.0.0.12:5001.</summary>
    public string? ApiUrls { get; set; }

    public IReadOnlyList<Uri> ApiUris() =>
        [.. (ApiUrls ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u.EndsWith('/') ? u : u + "/"))];
}
