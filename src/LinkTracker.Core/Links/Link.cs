namespace LinkTracker.Core.Links;

/// <summary>A tracking link: a code on a tenant's host that redirects to a destination.</summary>
public sealed record Link(
    string Code,
    string Destination,
    IReadOnlyList<string> Tags,
    string? Campaign,
    DateTimeOffset? ExpiresAt,
    bool Disabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
