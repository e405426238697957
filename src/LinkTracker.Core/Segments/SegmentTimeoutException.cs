namespace LinkTracker.Core.Segments;

/// <summary>A segment query ran past Segments:StatementTimeout and was stopped by the engine.</summary>
public sealed class SegmentTimeoutException(TimeSpan limit, Exception? inner = null)
    : Exception($"The segment's query ran longer than the limit of {limit.TotalSeconds:0.#} s (Segments:StatementTimeout) and was stopped. "
        + "Narrow the filter: a shorter within, a link or campaign condition, or fewer not(...) nodes.", inner)
{
    public TimeSpan Limit { get; } = limit;
}
