namespace LinkTracker.Links;

/// <summary>A link's identity across tenants: the cache key.</summary>
public readonly record struct LinkKey(string Tenant, string Code);
