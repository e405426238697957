namespace LinkTracker.Core.Legacy;

/// <summary>
/// What a tenant's redirects do besides redirecting its links: codes this service does not know are asked of the legacy
/// link tracker at <paramref name="BaseUrl"/>, else sent to <paramref name="NotFoundUrl"/>; an expired, disabled or
/// used-up link is sent to <paramref name="GoneUrl"/> (null: the built-in 404/410 pages).
/// </summary>
public sealed record LegacySettings(string? BaseUrl, DateTimeOffset UpdatedAt, string? NotFoundUrl = null, string? GoneUrl = null);
