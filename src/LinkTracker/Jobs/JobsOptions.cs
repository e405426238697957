using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Jobs;

/// <summary>The worker, scheduler and job settings; the queue's retry rules (MaxAttempts, BaseDelay, ...) share the section.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Jobs this process runs at once; 0 runs none (a process that only serves requests).</summary>
    [Range(0, 64)]
    public int Workers { get; set; } = 2;

    /// <summary>How long a received job is held; the worker extends it while the job runs, so it ends only when the process dies.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Raw clicks older than this many days are deleted each day; the hourly rollups, and so the stats, are kept.</summary>
    [Range(1, 36_500)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>When the daily jobs are enqueued, as a UTC time of day; a run missed while the service was down happens at start.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "23:59:59")]
    public TimeSpan DailyAt { get; set; } = TimeSpan.FromHours(3);
}
