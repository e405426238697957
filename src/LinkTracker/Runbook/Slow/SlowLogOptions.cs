using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Runbook.Slow;

/// <summary>When an operation counts as slow, per kind, and how many slow operations each tenant keeps.</summary>
public sealed class SlowLogOptions
{
    public const string Section = "SlowLog";

    /// <summary>A segment run at least this long is kept.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Segment { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A stats query at least this long is kept.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Stats { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A report job at least this long is kept.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Report { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A write transaction at least this long is kept.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Writer { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Slow operations kept per tenant, newest first; older ones are dropped (memory stays bounded).</summary>
    [Range(1, 10_000)]
    public int PerTenant { get; set; } = 100;

    public TimeSpan Threshold(SlowOperationKind kind) => kind switch
    {
        SlowOperationKind.Segment => Segment,
        SlowOperationKind.Stats => Stats,
        SlowOperationKind.Report => Report,
        SlowOperationKind.Writer => Writer,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind of slow operation."),
    };
}
