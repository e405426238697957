using LinkTracker.Clicks.Enrichment;
using LinkTracker.Core.Clicks;
using LinkTracker.Runbook;
using LinkTracker.Runbook.Slow;
using Microsoft.Extensions.Options;

namespace LinkTracker.Clicks;

/// <summary>
/// Drains the inbox (the local journal, or the broker's queues) into the tenants' databases: round-robin over
/// tenants with waiting clicks, one transaction per tenant per turn, at most the configured transactions per
/// second (this process's, or the database's shared by all its writers: ADR 22). A tenant's backlog therefore costs every other tenant at most one transaction slot per round. Clicks
/// go through the enrichment stage (ADR 17) and are acknowledged only after their transaction committed; a replayed batch changes no count (ids are unique).
/// </summary>
public sealed partial class ClickWriterWorker(
    IClickInbox inbox,
    IClickStore store,
    EnrichmentStage enrichment,
    IWriteBudget budget,
    ClickMetrics metrics,
    SlowLog slowLog,
    TenantActivity activity,
    IOptions<WriterOptions> options,
    TimeProvider time,
    ILogger<ClickWriterWorker> logger) : BackgroundService
{
    private readonly WriterOptions _options = options.Value;
    private readonly Dictionary<string, (DateTimeOffset Until, int Failures)> _backoff = new(StringComparer.Ordinal);

    private WriterThread? _thread;

    /// <summary>The loop runs on the writer's own lower-priority thread (<see cref="WriterThread"/>).</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _thread = new WriterThread(_options.Nice);
        return _thread.RunAsync(() => WriteUntilStoppedAsync(stoppingToken), stoppingToken);
    }

    public override void Dispose()
    {
        _thread?.Dispose();
        base.Dispose();
    }

    private async Task WriteUntilStoppedAsync(CancellationToken stoppingToken)
    {
        await inbox.StartAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await WriteRoundAsync(stoppingToken))
                {
                    await inbox.WaitAsync(TimeSpan.FromMilliseconds(250), stoppingToken);
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
            while (inbox.TenantsWithWork().Count > 0 && await WriteRoundAsync(drain.Token))
            {
            }
        }
        catch (OperationCanceledException)
        {
            LogDrainIncomplete(logger);
        }
    }

    /// <returns>Whether anything was written or attempted this round.</returns>
    private async Task<bool> WriteRoundAsync(CancellationToken cancellationToken)
    {
        var worked = false;
        foreach (var tenant in inbox.TenantsWithWork())
        {
            if (_backoff.TryGetValue(tenant, out var backoff) && backoff.Until > time.GetUtcNow())
            {
                continue;
            }

            worked = true;
            var begun = await budget.WaitAsync(cancellationToken);
            await WriteBatchAsync(tenant, begun, cancellationToken);
        }

        metrics.OldestPending(await inbox.OldestWaitingAsync(cancellationToken));
        return worked;
    }

    private async Task WriteBatchAsync(string tenant, DateTimeOffset begun, CancellationToken cancellationToken)
    {
        metrics.TransactionBegun(begun);
        try
        {
            if (await inbox.TakeAsync(tenant, _options.BatchSize, cancellationToken) is not { } batch)
            {
                return;
            }

            var started = time.GetTimestamp();
            // Enriched in memory only: a batch written again is enriched again, the same way (ADR 17).
            var result = await store.WriteAsync(tenant, enrichment.Enrich(tenant, batch.Clicks), cancellationToken);
            await batch.AcknowledgeAsync(cancellationToken);
            Record(tenant, time.GetElapsedTime(started), batch.Clicks.Count, result.Inserted);
            metrics.TransactionCommitted(time.GetUtcNow(), result.Inserted, result.Duplicates);
            _backoff.Remove(tenant);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The clicks stay owed (journal or queue); this tenant waits, the others go on.
            var failures = _backoff.TryGetValue(tenant, out var b) ? b.Failures + 1 : 1;
            var delay = TimeSpan.FromMilliseconds(Math.Min(60_000, _options.RetryDelayMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16))));
            _backoff[tenant] = (time.GetUtcNow() + delay, failures);
            metrics.TransactionFailed();
            activity.Add(tenant, TenantActivityKind.WriterFailures);
            LogWriteFailed(logger, ex, tenant, delay.TotalMilliseconds);
        }
    }

    /// <summary>The tenant's share of the writer (for the doctor's noisy-tenant check) and, when slow, the slow log.</summary>
    private void Record(string tenant, TimeSpan elapsed, int clicks, int inserted)
    {
        activity.Add(tenant, TenantActivityKind.ClicksWritten, inserted);
        activity.Add(tenant, TenantActivityKind.WriterMilliseconds, (long)Math.Ceiling(elapsed.TotalMilliseconds));
        slowLog.Record(tenant, SlowOperationKind.Writer, elapsed, clicks, $"write batch of {clicks} clicks");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing clicks of tenant {Tenant} failed; retrying in {DelayMs} ms, other tenants continue")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string tenant, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped with clicks still waiting; they stay in the journal or the queue and are written after the next start")]
    private static partial void LogDrainIncomplete(ILogger logger);
}
