namespace LinkTracker.Distributed;

/// <summary>What one process does. The embedded deployment runs all of them in one process.</summary>
[Flags]
public enum NodeRoles
{
    None = 0,

    /// <summary>Redirects: resolves links from its caches, journals clicks, forwards them to the broker.</summary>
    Edge = 1,

    /// <summary>The tenant API, and the internal endpoints edges ask on a cache miss.</summary>
    Api = 2,

    /// <summary>Writes clicks into the tenants' databases at the capped rate; runs the jobs.</summary>
    Worker = 4,

    All = Edge | Api | Worker,
}
