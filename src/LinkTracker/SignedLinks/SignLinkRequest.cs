namespace LinkTracker.SignedLinks;

/// <summary>A link to sign: destination, campaign and expiry are validated exactly as a stored link's.</summary>
public sealed record SignLinkRequest(string? Url, string? Campaign, DateTimeOffset? ExpiresAt);
