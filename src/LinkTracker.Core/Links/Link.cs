namespace LinkTracker.Core.Links;

/// <summary>
/// A tracking link: a code on a tenant's host that redirects to a destination. <paramref name="LegacyStatus"/> is the
/// redirect status a legacy link tracker answered when the link was learned from it (null: made here, redirects with 302).
/// </summary>
public sealed record Link(
    string Code,
    string Destination,
    IReadOnlyList<string> Tags,
    string? Campaign,
    DateTimeOffset? ExpiresAt,
    bool Disabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int? LegacyStatus = null,
    LinkFeatures? Features = null)
{
    /// <summary>UTM parameters, redirect rules and visit limit; <see cref="LinkFeatures.None"/> when the link has none.</summary>
    public LinkFeatures Features { get; init; } = Features ?? LinkFeatures.None;
}
