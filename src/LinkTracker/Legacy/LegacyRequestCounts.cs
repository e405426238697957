namespace LinkTracker.Legacy;

/// <summary>
/// Requests per <see cref="LegacyOutcome"/> over a window. <paramref name="FleetWide"/>: every node's (or the only
/// node's, on the embedded deployment); false when the shared board could not be read and only this node's are here.
/// </summary>
public sealed record LegacyRequestCounts(IReadOnlyList<long> ByOutcome, bool FleetWide)
{
    public long this[LegacyOutcome outcome] => ByOutcome[(int)outcome];
}
