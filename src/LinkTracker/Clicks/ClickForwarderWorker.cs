using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Clicks;

/// <summary>
/// On an edge node, moves journaled clicks to the broker: per tenant in turn, many clicks per message, and a click
/// leaves the journal only after the broker confirmed its message. A tenant with less than a full message waits up to
/// Forwarder:LingerMilliseconds for more, so that many edges at a modest rate still send messages a writer can batch.
/// While the broker is down, redirects go on, the journal grows on disk, and this worker retries with a backoff.
/// </summary>
public sealed partial class ClickForwarderWorker(
    JournalInbox journal,
    IClickPublisher publisher,
    PendingClicks pending,
    ClickMetrics metrics,
    TimeProvider time,
    IOptions<ForwarderOptions> options,
    ILogger<ClickForwarderWorker> logger) : BackgroundService
{
    private const int MaxDelayMilliseconds = 10_000;
    private readonly ForwarderOptions _options = options.Value;
    private readonly Dictionary<string, long> _lingeringSince = new(StringComparer.Ordinal);
    private int _failures;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await journal.StartAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var (worked, nextDue) = await ForwardRoundAsync(linger: true, stoppingToken);
                if (worked)
                {
                    continue;
                }

                if (nextDue is { } due)
                {
                    await Task.Delay(due, time, stoppingToken);
                }
                else
                {
                    await pending.WaitAsync(TimeSpan.FromMilliseconds(250), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _failures++;
                var delay = Math.Min(MaxDelayMilliseconds, _options.RetryDelayMilliseconds * Math.Pow(2, Math.Min(_failures - 1, 16)));
                metrics.ForwardFailed();
                LogForwardFailed(logger, ex, pending.Total, delay);
                await Task.Delay(TimeSpan.FromMilliseconds(delay), stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(TimeSpan.FromSeconds(_options.DrainOnStopSeconds));
        try
        {
            while (pending.Total > 0 && (await ForwardRoundAsync(linger: false, drain.Token)).Worked)
            {
            }
        }
        catch (Exception ex)
        {
            LogDrainIncomplete(logger, ex, pending.Total);
        }
    }

    /// <returns>Whether anything was forwarded this round, and when the first lingering tenant is due.</returns>
    /// <remarks>Internal so that the model test drives rounds one by one.</remarks>
    internal async Task<(bool Worked, TimeSpan? NextDue)> ForwardRoundAsync(bool linger, CancellationToken cancellationToken)
    {
        var worked = false;
        TimeSpan? nextDue = null;
        foreach (var tenant in journal.TenantsWithWork())
        {
            if (linger && Linger(tenant) is { } wait)
            {
                nextDue = nextDue is null || wait < nextDue ? wait : nextDue;
                continue;
            }

            _lingeringSince.Remove(tenant);
            if (await journal.TakeAsync(tenant, _options.BatchSize, cancellationToken) is not { } batch)
            {
                continue;
            }

            await publisher.PublishAsync(tenant, batch.Clicks, cancellationToken);
            // A crash here republishes these clicks at the next start: the writers' upsert by id absorbs it.
            await batch.AcknowledgeAsync(cancellationToken);
            metrics.ClicksForwarded(batch.Clicks.Count);
            worked = true;
            if (_failures > 0)
            {
                LogForwardResumed(logger, _failures);
                _failures = 0;
            }
        }

        return (worked, nextDue);
    }

    /// <returns>How much longer the tenant's clicks should wait for company, or null to forward them now.</returns>
    /// <remarks>Timed from when this worker first saw them waiting (a monotonic clock), not from the clicks' own time.</remarks>
    private TimeSpan? Linger(string tenant)
    {
        if (_options.LingerMilliseconds == 0 || pending.For(tenant) >= _options.BatchSize)
        {
            return null;
        }

        var since = _lingeringSince.TryGetValue(tenant, out var t) ? t : _lingeringSince[tenant] = time.GetTimestamp();
        var left = TimeSpan.FromMilliseconds(_options.LingerMilliseconds) - time.GetElapsedTime(since);
        return left > TimeSpan.Zero ? left : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding clicks to the broker failed; {Pending} clicks wait in the journal, retrying in {DelayMs} ms")]
    private static partial void LogForwardFailed(ILogger logger, Exception exception, long pending, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarding to the broker works again after {Failures} failed attempts")]
    private static partial void LogForwardResumed(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped with {Pending} clicks still in the journal; they are forwarded after the next start")]
    private static partial void LogDrainIncomplete(ILogger logger, Exception exception, long pending);
}
