using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Runbook.Doctor;

/// <summary>Where the doctor draws its lines. Activity is judged over the last five minutes.</summary>
public sealed class DoctorOptions
{
    public const string Section = "Doctor";

    /// <summary>The writer counts as at its cap when it began its cap of transactions in every second of this span (the current second left out).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan WriterCapWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Lag (age of the oldest waiting click) above this is a warning.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan LagWarning { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lag above this needs action.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan LagAction { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Clicks waiting in this node's journal from which the depth is a warning.</summary>
    [Range(1, long.MaxValue)]
    public long JournalDepthWarning { get; set; } = 100_000;

    /// <summary>A tenant with at least this share (0–1) of clicks written, backlog or writer time is noisy.</summary>
    [Range(0.5, 1.0)]
    public double NoisyShare { get; set; } = 0.8;

    /// <summary>Clicks written (or waiting) over the window below which no tenant is called noisy.</summary>
    [Range(1, long.MaxValue)]
    public long NoisyMinimumClicks { get; set; } = 10_000;

    /// <summary>Unknown codes per tenant over the window from which a scanner is reported.</summary>
    [Range(1, long.MaxValue)]
    public long ScannerUnknownCodes { get; set; } = 1_000;

    /// <summary>Link cache lookups before its hit ratio is judged.</summary>
    [Range(1, long.MaxValue)]
    public long LinkCacheMinimumLookups { get; set; } = 10_000;

    /// <summary>A link cache hit ratio below this is cold (still filling) or thrashing (full and evicting).</summary>
    [Range(0.0, 1.0)]
    public double LinkCacheHitRatio { get; set; } = 0.8;

    /// <summary>Free space under the data folder, in percent of the disk, below which it is a warning.</summary>
    [Range(0.0, 100.0)]
    public double DiskFreeWarningPercent { get; set; } = 10;

    /// <summary>Free space under the data folder, in percent of the disk, below which it needs action.</summary>
    [Range(0.0, 100.0)]
    public double DiskFreeActionPercent { get; set; } = 3;

    /// <summary>How long a reachability probe (database, broker, Redis) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
