namespace LinkTracker.Core.Analytics;

/// <summary>Reads rollups only, never raw clicks, so a stats call costs the same for 10 or 10 million clicks.</summary>
public interface IStatsStore
{
    /// <summary>The hourly rollups of a scope within [from, to), in order; hours without clicks are absent.</summary>
    Task<IReadOnlyList<HourlyRollup>> ReadHourlyAsync(string tenant, StatsScope scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// The clicks of a scope within the hours overlapping [from, to), per value of one dimension, from the breakdown
    /// rollups: most clicks first, then by value; at most <paramref name="limit"/> values.
    /// </summary>
    Task<IReadOnlyList<BreakdownRow>> ReadBreakdownAsync(
        string tenant, StatsScope scope, BreakdownDimension dimension, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);
}
