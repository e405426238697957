using LinkTracker.Core.Jobs;
using Microsoft.Extensions.Options;

namespace LinkTracker.Jobs;

/// <summary>
/// Runs jobs: <see cref="JobsOptions.Workers"/> loops each receive a job with a lease, run the handler registered for its
/// type, and acknowledge it, or fail it with the exception's message (the queue retries with backoff, then dead-letters).
/// The lease is extended while the handler runs, so a long job is not delivered twice. Loops never wait on one tenant:
/// the queue serves tenants in turns, so a tenant whose jobs keep failing costs the others at most one turn.
/// </summary>
public sealed partial class JobWorker(
    IJobQueue queue,
    IServiceScopeFactory scopes,
    JobMetrics metrics,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<JobWorker> logger) : BackgroundService
{
    private static readonly TimeSpan ReceiveRetryDelay = TimeSpan.FromSeconds(1);
    private readonly JobsOptions _options = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(() => ReceiveLoopAsync(stoppingToken), CancellationToken.None)));

    private async Task ReceiveLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            JobLease? lease;
            try
            {
                lease = await queue.ReceiveAsync(_options.Lease, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogReceiveFailed(logger, ex, ReceiveRetryDelay.TotalSeconds);
                await DelayAsync(ReceiveRetryDelay, stoppingToken);
                continue;
            }

            if (lease is null)
            {
                return;
            }

            await RunAsync(lease, stoppingToken);
        }
    }

    private async Task RunAsync(JobLease lease, CancellationToken stoppingToken)
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var done = new CancellationTokenSource();
        var keeper = KeepLeaseAsync(lease, running, done.Token);
        Exception? error = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetKeyedService<IJobHandler>(lease.Type)
                ?? throw new InvalidOperationException($"This LinkTracker has no handler for job type '{lease.Type}'.");
            await handler.RunAsync(lease, running.Token);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        await done.CancelAsync();
        if (await keeper is not { } current)
        {
            // The queue took the job back: it was or will be delivered again, so this attempt's outcome no longer counts.
            LogLeaseLost(logger, lease.Type, lease.Id, lease.Attempt);
            return;
        }

        try
        {
            await FinishAsync(current, error, stoppingToken.IsCancellationRequested);
        }
        catch (Exception ex)
        {
            // Nothing is lost: the lease ends on its own and counts as a failed attempt.
            LogFinishFailed(logger, ex, lease.Type, lease.Id);
        }
    }

    private async Task FinishAsync(JobLease lease, Exception? error, bool stopping)
    {
        if (error is null)
        {
            if (await queue.AckAsync(lease, CancellationToken.None))
            {
                metrics.Succeeded(lease.Type, lease.Tenant);
                LogSucceeded(logger, lease.Type, lease.Id, lease.Tenant, lease.Attempt);
            }
            else
            {
                LogLeaseLost(logger, lease.Type, lease.Id, lease.Attempt);
            }

            return;
        }

        if (stopping && error is OperationCanceledException)
        {
            // Not the job's fault, but an attempt all the same: it runs again after the backoff (after the restart).
            var stopped = await queue.FailAsync(lease, $"The service stopped during attempt {lease.Attempt}.", CancellationToken.None);
            CountDead(lease, stopped);
            LogStopped(logger, lease.Type, lease.Id);
            return;
        }

        var message = string.IsNullOrWhiteSpace(error.Message) ? error.GetType().Name : error.Message;
        var outcome = await queue.FailAsync(lease, message, CancellationToken.None);
        if (outcome == JobFailOutcome.LeaseLost)
        {
            LogLeaseLost(logger, lease.Type, lease.Id, lease.Attempt);
            return;
        }

        metrics.Failed(lease.Type, lease.Tenant);
        CountDead(lease, outcome);
        if (outcome == JobFailOutcome.DeadLettered)
        {
            LogDeadLettered(logger, error, lease.Type, lease.Id, lease.Tenant, lease.Attempt);
        }
        else
        {
            LogFailed(logger, error, lease.Type, lease.Id, lease.Tenant, lease.Attempt);
        }
    }

    private void CountDead(JobLease lease, JobFailOutcome outcome)
    {
        if (outcome == JobFailOutcome.DeadLettered)
        {
            metrics.DeadLettered(lease.Type, lease.Tenant);
        }
    }

    /// <summary>Extends the lease every third of its length until <paramref name="done"/>.</summary>
    /// <returns>The lease as last extended; null when the queue had already ended it (the handler is then cancelled).</returns>
    private async Task<JobLease?> KeepLeaseAsync(JobLease lease, CancellationTokenSource running, CancellationToken done)
    {
        var current = lease;
        while (!done.IsCancellationRequested)
        {
            if (!await DelayAsync(_options.Lease / 3, done))
            {
                break;
            }

            try
            {
                if (await queue.ExtendLeaseAsync(current, _options.Lease, CancellationToken.None) is not { } extended)
                {
                    await running.CancelAsync();
                    return null;
                }

                current = extended;
            }
            catch (Exception ex)
            {
                // The lease still runs for a while: try again at the next third.
                LogExtendFailed(logger, ex, lease.Type, lease.Id);
            }
        }

        return current;
    }

    /// <returns>false when cancelled.</returns>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {Type} {Id} of tenant {Tenant} succeeded on attempt {Attempt}")]
    private static partial void LogSucceeded(ILogger logger, string type, string id, string? tenant, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Type} {Id} of tenant {Tenant} failed on attempt {Attempt}; it is retried after a backoff")]
    private static partial void LogFailed(ILogger logger, Exception exception, string type, string id, string? tenant, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Type} {Id} of tenant {Tenant} failed its last attempt ({Attempt}) and is a dead letter now: see /ops/jobs/dead")]
    private static partial void LogDeadLettered(ILogger logger, Exception exception, string type, string id, string? tenant, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Type} {Id}: the lease of attempt {Attempt} ended before the job did; the queue delivers it again")]
    private static partial void LogLeaseLost(ILogger logger, string type, string id, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Type} {Id} was stopped with the service; it runs again after the restart")]
    private static partial void LogStopped(ILogger logger, string type, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Extending the lease of job {Type} {Id} failed; retrying")]
    private static partial void LogExtendFailed(ILogger logger, Exception exception, string type, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording the outcome of job {Type} {Id} failed; its lease will end and count as a failed attempt")]
    private static partial void LogFinishFailed(ILogger logger, Exception exception, string type, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Receiving a job failed; retrying in {DelaySeconds} s")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception, double delaySeconds);
}
