namespace LinkTracker.Links;

/// <summary>A new link. Without a code, one is generated.</summary>
public sealed record CreateLinkRequest(
    string? Url,
    string? Code = null,
    IReadOnlyList<string>? Tags = null,
    string? Campaign = null,
    DateTimeOffset? ExpiresAt = null,
    bool Disabled = false);
