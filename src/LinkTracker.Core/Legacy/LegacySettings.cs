namespace LinkTracker.Core.Legacy;

/// <summary>The tenant's legacy link tracker: codes this service does not know are asked of <paramref name="BaseUrl"/>.</summary>
public sealed record LegacySettings(string? BaseUrl, DateTimeOffset UpdatedAt);
