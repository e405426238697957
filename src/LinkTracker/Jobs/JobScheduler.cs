using LinkTracker.Core.Jobs;
using LinkTracker.Core.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.Jobs;

/// <summary>
/// Enqueues the daily jobs (retention, and each registered <see cref="DailyJob"/>) for every tenant at <see cref="JobsOptions.DailyAt"/> UTC, and at start when
/// today's time has passed (the run missed while the service was down). Scheduling is idempotent (ADR 5): each job's
/// id names its tenant and day and the queue refuses an id it holds, so several schedulers, or a restart, add nothing
/// twice while the job waits, runs or is dead; a finished job that is scheduled again does the same work again.
/// </summary>
public sealed partial class JobScheduler(
    IJobQueue queue,
    ICatalogStore catalog,
    IEnumerable<DailyJob> dailyJobs,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<JobScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);
    private readonly JobsOptions _options = options.Value;

    /// <summary>Enqueues the day's jobs of every tenant.</summary>
    /// <returns>How many were added (those already in the queue are not).</returns>
    public async Task<int> ScheduleDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var tenants = await catalog.ListTenantsAsync(cancellationToken);
        if (tenants.Count == 0)
        {
            return 0;
        }

        var dueAt = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue) + _options.DailyAt, TimeSpan.Zero);
        var jobs = tenants.Select(t => RetentionJob.For(t.Slug, day, _options.RetentionDays)).ToList();
        jobs.AddRange(tenants.SelectMany(t => dailyJobs.Select(d => d.For(t, day, dueAt))));
        var added = (await queue.EnqueueManyAsync(jobs, null, cancellationToken)).Count(e => e.Added);
        LogScheduled(logger, day, added, jobs.Count - added);
        return added;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (DailySchedule.DueToday(time.GetUtcNow(), _options.DailyAt) is { } today)
            {
                await RunAsync(today, stoppingToken);
            }

            while (true)
            {
                var next = DailySchedule.NextRun(time.GetUtcNow(), _options.DailyAt);
                await Task.Delay(next - time.GetUtcNow(), time, stoppingToken);
                await RunAsync(DateOnly.FromDateTime(next.UtcDateTime), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Schedules the day, retrying until it succeeds: the ids make a retry after a partial failure harmless.</summary>
    private async Task RunAsync(DateOnly day, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await ScheduleDayAsync(day, stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogScheduleFailed(logger, ex, day, RetryDelay.TotalSeconds);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily jobs of {Day:yyyy-MM-dd}: {Added} enqueued, {Present} already in the queue")]
    private static partial void LogScheduled(ILogger logger, DateOnly day, int added, int present);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling the daily jobs of {Day:yyyy-MM-dd} failed; retrying in {DelaySeconds} s")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, DateOnly day, double delaySeconds);
}
