namespace LinkTracker.Core.Links;

/// <summary>
/// What an import recorded about one link: where it came from, its title and creation time in the old system, and
/// its past clicks, counted in the rollups of <paramref name="Hour"/> (tenant, link and <paramref name="Campaign"/>).
/// Unique recipients of those clicks are unknown, so they add none.
/// </summary>
public sealed record ImportedLink(
    string Code,
    string Source,
    string? Title,
    DateTimeOffset? SourceCreatedAt,
    long Clicks,
    long HumanClicks,
    DateTimeOffset Hour,
    string? Campaign);
