namespace LinkTracker.SignedLinks;

/// <summary>What a signed short URL carries: whose it is, where it goes, its campaign and its expiry (ADR 26).</summary>
/// <param name="Tenant">The slug of the tenant whose host alone redirects it.</param>
/// <param name="Destination">The normalised (ASCII) destination, validated as a link's.</param>
/// <param name="Campaign">The campaign its clicks are attributed to, or null.</param>
/// <param name="ExpiresAt">From then on the link answers 410; whole seconds.</param>
public sealed record SignedLinkPayload(string Tenant, string Destination, string? Campaign, DateTimeOffset? ExpiresAt);
