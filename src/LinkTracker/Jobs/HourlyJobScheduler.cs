using LinkTracker.Core.Jobs;
using LinkTracker.Core.Tenants;

namespace LinkTracker.Jobs;

/// <summary>
/// Enqueues each registered <see cref="HourlyJob"/> for every tenant at the start of every UTC hour, and at start for
/// the current hour. Idempotent like the daily pass (ADR 5): the ids name tenant and hour, so several schedulers or a
/// restart add each job once.
/// </summary>
public sealed partial class HourlyJobScheduler(
    IJobQueue queue,
    ICatalogStore catalog,
    IEnumerable<HourlyJob> hourlyJobs,
    TimeProvider time,
    ILogger<HourlyJobScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);
    private readonly HourlyJob[] _jobs = [.. hourlyJobs];

    /// <summary>The start of the UTC hour <paramref name="instant"/> falls in.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Enqueues the hour's jobs of every tenant.</summary>
    /// <returns>How many were added (those already in the queue are not).</returns>
    public async Task<int> ScheduleHourAsync(DateTimeOffset hour, CancellationToken cancellationToken)
    {
        hour = HourOf(hour);
        var tenants = await catalog.ListTenantsAsync(cancellationToken);
        if (tenants.Count == 0 || _jobs.Length == 0)
        {
            return 0;
        }

        var jobs = tenants.SelectMany(t => _jobs.Select(j => j.For(t, hour))).ToList();
        var added = (await queue.EnqueueManyAsync(jobs, null, cancellationToken)).Count(e => e.Added);
        LogScheduled(logger, hour, added, jobs.Count - added);
        return added;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var hour = HourOf(time.GetUtcNow());
            while (true)
            {
                await RunAsync(hour, stoppingToken);
                hour = hour.AddHours(1);
                if (hour > time.GetUtcNow())
                {
                    await Task.Delay(hour - time.GetUtcNow(), time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Schedules the hour, retrying until it succeeds: the ids make a retry after a partial failure harmless.</summary>
    private async Task RunAsync(DateTimeOffset hour, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await ScheduleHourAsync(hour, stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogScheduleFailed(logger, ex, hour, RetryDelay.TotalSeconds);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hourly jobs of {Hour:yyyy-MM-ddTHH}:00Z: {Added} enqueued, {Present} already in the queue")]
    private static partial void LogScheduled(ILogger logger, DateTimeOffset hour, int added, int present);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling the hourly jobs of {Hour:yyyy-MM-ddTHH}:00Z failed; retrying in {DelaySeconds} s")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, DateTimeOffset hour, double delaySeconds);
}
