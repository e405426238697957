namespace LinkTracker.Links;

/// <summary>What the redirect needs of a link, and nothing else.</summary>
public sealed record CachedLink(string Destination, DateTimeOffset? ExpiresAt, bool Disabled);
