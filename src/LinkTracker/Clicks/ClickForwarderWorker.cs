using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Clicks;

/// <summary>
/// On an edge node, moves journaled clicks to the broker: per tenant in turn, many clicks per message, and a click
/// leaves the journal only after the broker confirmed its message. While the broker is down, redirects go on, the
/// journal grows on disk, and this worker retries with a backoff until it drains.
/// </summary>
public sealed partial class ClickForwarderWorker(
    JournalInbox journal,
    IClickPublisher publisher,
    PendingClicks pending,
    ClickMetrics metrics,
    IOptions<ForwarderOptions> options,
    ILogger<ClickForwarderWorker> logger) : BackgroundService
{
    private const int MaxDelayMilliseconds = 10_000;
    private readonly ForwarderOptions _options = options.Value;
    private int _failures;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await journal.StartAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await ForwardRoundAsync(stoppingToken))
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
            while (pending.Total > 0 && await ForwardRoundAsync(drain.Token))
            {
            }
        }
        catch (Exception ex)
        {
            LogDrainIncomplete(logger, ex, pending.Total);
        }
    }

    /// <returns>Whether anything was forwarded this round.</returns>
    private async Task<bool> ForwardRoundAsync(CancellationToken cancellationToken)
    {
        var worked = false;
        foreach (var tenant in journal.TenantsWithWork())
        {
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

        return worked;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding clicks to the broker failed; {Pending} clicks wait in the journal, retrying in {DelayMs} ms")]
    private static partial void LogForwardFailed(ILogger logger, Exception exception, long pending, double delayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarding to the broker works again after {Failures} failed attempts")]
    private static partial void LogForwardResumed(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped with {Pending} clicks still in the journal; they are forwarded after the next start")]
    private static partial void LogDrainIncomplete(ILogger logger, Exception exception, long pending);
}
