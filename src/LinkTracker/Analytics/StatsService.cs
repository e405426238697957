using LinkTracker.Clicks;
using LinkTracker.Core.Analytics;
using LinkTracker.Runbook;
using LinkTracker.Runbook.Slow;

namespace LinkTracker.Analytics;

/// <summary>Builds a complete series (empty buckets included) from the hourly rollups, with its freshness; slow queries go to the slow log.</summary>
public sealed class StatsService(IStatsStore stats, ClickBacklog backlog, TimeProvider time, SlowLog slowLog, TenantActivity activity)
{
    /// <summary>Most values one breakdown lists.</summary>
    public const int MaxBreakdownValues = 100;

    /// <summary>The series without a breakdown.</summary>
    public Task<StatsResponse> GetAsync(string tenant, StatsScope scope, StatsRange range, CancellationToken cancellationToken) =>
        GetAsync(tenant, scope, range, null, cancellationToken);

    public async Task<StatsResponse> GetAsync(
        string tenant, StatsScope scope, StatsRange range, BreakdownDimension? breakdown, CancellationToken cancellationToken)
    {
        activity.Add(tenant, TenantActivityKind.StatsQueries);
        var started = time.GetTimestamp();
        // Waiting clicks first: one the writer stores meanwhile is then counted twice, never missed by both numbers.
        var freshness = await FreshnessAsync(tenant, cancellationToken);
        var hours = await stats.ReadHourlyAsync(tenant, scope, range.From, range.To, cancellationToken);
        var buckets = new List<StatsBucket>();
        var next = 0;
        for (var start = range.From; start < range.To; start += range.Step)
        {
            long clicks = 0, human = 0, unique = 0;
            var end = start + range.Step;
            for (; next < hours.Count && hours[next].Hour < end; next++)
            {
                clicks += hours[next].Clicks;
                human += hours[next].HumanClicks;
                unique += hours[next].NewRecipients;
            }

            buckets.Add(new StatsBucket(start, clicks, human, unique));
        }

        slowLog.Record(tenant, SlowOperationKind.Stats, time.GetElapsedTime(started), hours.Count,
            $"scope={scope.Kind.ToString().ToLowerInvariant()} range={(range.To - range.From).TotalHours:0}h granularity={range.Granularity}".ToLowerInvariant());
        var totals = new StatsTotals(buckets.Sum(b => b.Clicks), buckets.Sum(b => b.HumanClicks), buckets.Sum(b => b.UniqueRecipients));
        StatsBreakdown? items = null;
        if (breakdown is { } dimension)
        {
            var rows = await stats.ReadBreakdownAsync(tenant, scope, dimension, range.From, range.To, MaxBreakdownValues, cancellationToken);
            items = new StatsBreakdown(ClickBreakdown.Name(dimension), [.. rows.Select(r => new BreakdownItem(r.Value, r.Clicks, r.HumanClicks))]);
        }

        return new StatsResponse(
            scope.Kind.ToString().ToLowerInvariant(), scope.Name, range.From, range.To, range.Granularity, totals, buckets, freshness, items);
    }

    /// <summary>The range's top values of one dimension, from the breakdown rollups only (no series): what the dashboard's tables show.</summary>
    public async Task<StatsBreakdown> GetBreakdownAsync(
        string tenant, StatsScope scope, BreakdownDimension dimension, StatsRange range, int limit, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var rows = await stats.ReadBreakdownAsync(tenant, scope, dimension, range.From, range.To, Math.Clamp(limit, 1, MaxBreakdownValues), cancellationToken);
        slowLog.Record(tenant, SlowOperationKind.Stats, time.GetElapsedTime(started), rows.Count,
            $"scope={scope.Kind.ToString().ToLowerInvariant()} range={(range.To - range.From).TotalHours:0}h breakdown={ClickBreakdown.Name(dimension)}".ToLowerInvariant());
        return new StatsBreakdown(ClickBreakdown.Name(dimension), [.. rows.Select(r => new BreakdownItem(r.Value, r.Clicks, r.HumanClicks))]);
    }

    public async Task<Freshness> FreshnessAsync(string tenant, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (waiting, oldest) = await backlog.ForTenantAsync(tenant, cancellationToken);
        return new Freshness(now, waiting, oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0);
    }
}
