using System.Diagnostics;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// A small tenant clicking steadily (a batch each second) during someone else's blast, and how long each
/// batch takes to show in its /api/stats (polled every 100 ms after the batch's last redirect). Redirects go to
/// <paramref name="redirects"/> (with the tenant's host), stats are read through <paramref name="api"/>: the same
/// server in one process, an edge and the api node in the distributed deployment.
/// </summary>
public sealed class SteadyTenant(Uri redirects, TenantClient api, IReadOnlyList<string> codes, int perSecond)
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);
    private readonly Queue<(long Target, long AcknowledgedAt)> _waiting = new();
    private readonly Lock _gate = new();

    public string Slug { get; } = api.Slug;

    public RecipientLedger Ledger { get; } = new($"{api.Slug}-");

    public LatencyHistogram Redirects { get; } = new();

    public long Unexpected { get; private set; }

    /// <summary>Seconds from a batch's last 302 until the stats counted it.</summary>
    public List<double> VisibilityDelays { get; } = [];

    /// <summary>Batches not visible within 30 s.</summary>
    public int NeverVisible { get; private set; }

    public IReadOnlyList<string> Codes { get; } = codes;

    public async Task RunAsync(CancellationToken stop)
    {
        var poller = PollAsync(stop);
        using var load = new LoadGenerator(redirects, $"{Slug}.localhost:{redirects.Port}", 4);
        var start = Stopwatch.GetTimestamp();
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var wait = TimeSpan.FromSeconds(batch) - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero && !await DelayAsync(wait, stop))
            {
                break;
            }

            var run = await load.RunClosedAsync(
                $"{Slug}-{batch}", Ledger, (i, _) => Codes[(int)(i % Codes.Count)], TimeSpan.FromSeconds(10), perSecond, null, CancellationToken.None);
            Redirects.Add(run.Latency);
            Unexpected += run.Unexpected(302);
            lock (_gate)
            {
                _waiting.Enqueue((Ledger.Acknowledged, Stopwatch.GetTimestamp()));
            }
        }

        await poller;
    }

    /// <summary>Polls the stats until every batch is visible; after the stop, gives the last batches up to 30 s.</summary>
    private async Task PollAsync(CancellationToken stop)
    {
        var tenant = api;
        long? stoppedAt = null;
        while (true)
        {
            stoppedAt ??= stop.IsCancellationRequested ? Stopwatch.GetTimestamp() : null;
            lock (_gate)
            {
                if (stoppedAt is not null && _waiting.Count == 0)
                {
                    return;
                }
            }

            var clicks = (await tenant.GetTotalsAsync(CancellationToken.None)).Totals.Clicks;
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                while (_waiting.TryPeek(out var batch) && batch.Target <= clicks)
                {
                    _waiting.Dequeue();
                    VisibilityDelays.Add(Stopwatch.GetElapsedTime(batch.AcknowledgedAt, now).TotalSeconds);
                }

                if (stoppedAt is { } at && Stopwatch.GetElapsedTime(at) > GiveUpAfter)
                {
                    NeverVisible = _waiting.Count;
                    return;
                }
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan wait, CancellationToken stop)
    {
        try
        {
            await Task.Delay(wait, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
