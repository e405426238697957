namespace LinkTracker.Core.Links;

/// <summary>
/// One link's visit count: per tenant and code, and per <paramref name="Version"/> (the link's creation time in Unix
/// milliseconds), so a count never carries over to another link that gets the same code.
/// </summary>
public sealed record VisitKey(string Tenant, string Code, long Version);
