using System.Diagnostics;
using LinkTracker.Bench.Infrastructure;

namespace LinkTracker.Bench.Scenarios;

/// <summary>/ops/writer read every second: the journal over time, and the writer's transactions per wall-clock second.</summary>
public sealed class WriterTimeline
{
    private readonly Dictionary<long, WriterSecond> _seconds = [];
    private readonly Lock _gate = new();

    public sealed record Sample(long UnixSecond, double At, long JournalDepth, long TenantDepth, double LagSeconds, long Captured, long RowsInserted, long Transactions);

    public List<Sample> Samples { get; } = [];

    /// <summary>Every second the writer reported, merged over all reads (each read covers the last 120 s).</summary>
    public IReadOnlyList<WriterSecond> Seconds
    {
        get
        {
            lock (_gate)
            {
                return [.. _seconds.Values.OrderBy(s => s.Second)];
            }
        }
    }

    /// <summary>Reads /ops/writer every second until cancelled.</summary>
    public async Task RunAsync(OpsClient ops, long start, string tenant, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            try
            {
                var status = await ops.GetWriterAsync(stop);
                var at = Stopwatch.GetElapsedTime(start).TotalSeconds;
                lock (_gate)
                {
                    Samples.Add(new Sample(
                        DateTimeOffset.UtcNow.ToUnixTimeSeconds(), at, status.JournalDepth, status.PendingByTenant.GetValueOrDefault(tenant), status.LagSeconds,
                        status.Captured, status.RowsInserted, status.Transactions));
                    foreach (var second in status.RecentSeconds)
                    {
                        var key = second.Second.ToUnixTimeSeconds();
                        var known = _seconds.GetValueOrDefault(key);
                        if (known is null || second.Transactions >= known.Transactions)
                        {
                            _seconds[key] = second;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }
        while (await WaitAsync(timer, stop));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
