namespace LinkTracker.Core.Analytics;

/// <summary>Reads rollups only, never raw clicks, so a stats call costs the same for 10 or 10 million clicks.</summary>
public interface IStatsStore
{
    /// <summary>The hourly rollups of a scope within [from, to), in order; hours without clicks are absent.</summary>
    Task<IReadOnlyList<HourlyRollup>> ReadHourlyAsync(string tenant, StatsScope scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
