namespace LinkTracker.Core.Segments;

/// <summary>
/// What a click must be to count for a predicate; every condition set must hold. <see cref="Within"/> is relative to the
/// run's time (asOf); <see cref="From"/> (inclusive) and <see cref="To"/> (exclusive) are instants, kept to the millisecond.
/// The enrichment conditions (<see cref="Country"/> ... <see cref="Reason"/>) hold when the click's value is any of the
/// listed ones, already normalised by the parser (<see cref="EnrichedValues"/>).
/// </summary>
public sealed record ClickConditions(
    string? Campaign = null,
    string? Link = null,
    string? Tag = null,
    string? ReferrerHost = null,
    bool? Human = null,
    TimeSpan? Within = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    /// <summary>ISO 3166 two-letter codes in upper case, as the geo enricher stores them.</summary>
    public IReadOnlyList<string>? Country { get; init; }

    /// <summary>Lower case, from <see cref="EnrichedValues.Devices"/>.</summary>
    public IReadOnlyList<string>? Device { get; init; }

    /// <summary>Browser families in lower case; matched against the stored family without regard to case.</summary>
    public IReadOnlyList<string>? Browser { get; init; }

    /// <summary>OS families in lower case; matched against the stored family without regard to case.</summary>
    public IReadOnlyList<string>? Os { get; init; }

    /// <summary>Non-human reasons, from <see cref="EnrichedValues.Reasons"/>.</summary>
    public IReadOnlyList<string>? Reason { get; init; }

    /// <summary>The earliest click time that counts at <paramref name="asOf"/>, if any.</summary>
    public DateTimeOffset? Since(DateTimeOffset asOf) => Within is { } within ? asOf - within : From;
}
