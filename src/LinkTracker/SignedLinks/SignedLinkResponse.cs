namespace LinkTracker.SignedLinks;

/// <summary>A signed short URL; <see cref="Code"/> is what its clicks are recorded and counted under.</summary>
public sealed record SignedLinkResponse(string Code, string ShortUrl, string Url, string? Campaign, DateTimeOffset? ExpiresAt, string KeyId);
