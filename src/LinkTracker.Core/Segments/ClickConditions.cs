namespace LinkTracker.Core.Segments;

/// <summary>
/// What a click must be to count for a predicate; every condition set must hold. <see cref="Within"/> is relative to the
/// run's time (asOf); <see cref="From"/> (inclusive) and <see cref="To"/> (exclusive) are instants, kept to the millisecond.
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
    /// <summary>The earliest click time that counts at <paramref name="asOf"/>, if any.</summary>
    public DateTimeOffset? Since(DateTimeOffset asOf) => Within is { } within ? asOf - within : From;
}
