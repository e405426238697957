using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Clicks;

/// <summary>
/// Drains the journal into the tenants' databases: round-robin over tenants with waiting clicks, one
/// transaction per tenant per turn, at most the configured transactions per second. A tenant's backlog
/// therefore costs every other tenant at most one transaction slot per round. A click leaves the journal
/// only after its transaction committed; a replayed batch changes no count (ids are unique).
/// </summary>
public sealed partial class ClickWriterWorker(
    IClickJournal journal,
    IClickStore store,
    PendingClicks pending,
    WriteRateLimiter limiter,
    ClickMetrics metrics,
    IOptions<WriterOptions> options,
    TimeProvider time,
    ILogger<ClickWriterWorker> logger) : BackgroundService
{
    private readonly WriterOptions _options = options.Value;
    private readonly Dictionary<string, (DateTimeOffset Until, int Failures)> _backoff = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        pending.Load(await journal.CountPendingAsync(stoppingToken));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await WriteRoundAsync(stoppingToken))
                {
                    await pending.WaitAsync(TimeSpan.FromMilliseconds(250), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Drain what capture committed before the server stopped, within the configured time.
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(TimeSpan.FromSeconds(_options.DrainOnStopSeconds));
        try
        {
            while (pending.Total > 0 && await WriteRoundAsync(drain.Token))
            {
            }
        }
        catch (OperationCanceledException)
        {
            LogDrainIncomplete(logger, pending.Total);
        }
    }

    /// <returns>Whether anything was written or attempted this round.</returns>
    private async Task<bool> WriteRoundAsync(CancellationToken cancellationToken)
    {
        var worked = false;
        foreach (var tenant in pending.TenantsWithWork())
        {
            if (_backoff.TryGetValue(tenant, out var backoff) && backoff.Until > time.GetUtcNow())
            {
                continue;
            }

            worked = true;
            var begun = await limiter.WaitAsync(cancellationToken);
            await WriteBatchAsync(tenant, begun, cancellationToken);
        }

        metrics.OldestPending(pending.Total == 0 ? null : await journal.OldestPendingAsync(null, cancellationToken));
        return worked;
    }

    private async Task WriteBatchAsync(string tenant, DateTimeOffset begun, CancellationToken cancellationToken)
    {
        metrics.TransactionBegun(begun);
        try
        {
            var entries = await journal.ReadAsync(tenant, _options.BatchSize, cancellationToken);
            if (entries.Count == 0)
            {
                pending.Removed(tenant, pending.For(tenant));
                return;
            }

            var clicks = new Click[entries.Count];
            for (var i = 0; i < clicks.Length; i++)
            {
                clicks[i] = entries[i].Click;
            }

            var result = await store.WriteAsync(tenant, clicks, cancellationToken);
            await journal.AcknowledgeAsync(tenant, entries[^1].Sequence, cancellationToken);
            pending.Removed(tenant, entries.Count);
            metrics.TransactionCommitted(time.GetUtcNow(), result.Inserted, result.Duplicates);
            _backoff.Remove(tenant);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The clicks stay in the journal; this tenant waits, the others go on.
            var failures = _backoff.TryGetValue(tenant, out var b) ? b.Failures + 1 : 1;
            var delay = TimeSpan.FromMilliseconds(Math.Min(60_000, _options.RetryDelayMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16))));
            _backoff[tenant] = (time.GetUtcNow() + delay, failures);
            metrics.TransactionFailed();
            LogWriteFailed(logger, ex, tenant, delay.TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing clicks of tenant {Tenant} failed; retrying in {DelayMs} ms, other tenants continue")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string tenant, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped with {Pending} clicks still in the journal; they are written at the next start")]
    private static partial void LogDrainIncomplete(ILogger logger, long pending);
}
