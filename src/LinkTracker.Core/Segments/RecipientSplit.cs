using LinkTracker.Core.Clicks;

namespace LinkTracker.Core.Segments;

/// <summary>
/// Where to cut a tenant's recipients in two for <see cref="RecipientHalves"/>: the middle of the recipients of
/// <see cref="Samples"/> clicks spread evenly over the time the tenant's clicks span. Each half then reads about half
/// of the recipient index (which holds every click, not only the window's), as far as the tenant's recipients click
/// alike over time; a poor cut costs time, never a recipient (each is in exactly one half).
/// </summary>
public static class RecipientSplit
{
    /// <summary>Clicks sampled, each with one primary-key seek.</summary>
    public const int Samples = 31;

    /// <summary>The smallest click id at each sampled time: (i + ½) / <see cref="Samples"/> of the way from the oldest click to the newest.</summary>
    public static IReadOnlyList<Guid> SampleIds(DateTimeOffset oldest, DateTimeOffset newest)
    {
        var span = newest - oldest;
        return [.. Enumerable.Range(0, Samples).Select(i => ClickIdBounds.SmallestAt(oldest + (span * ((i + 0.5) / Samples))))];
    }

    /// <summary>
    /// The middle of the sampled recipients, sorted in the engine's order; null when there is nothing to cut (fewer than
    /// two distinct values), so the run reads on one connection.
    /// </summary>
    public static string? Middle(IReadOnlyList<string> sorted) =>
        sorted.Count < 2 || sorted[0] == sorted[^1] ? null : sorted[sorted.Count / 2];
}
