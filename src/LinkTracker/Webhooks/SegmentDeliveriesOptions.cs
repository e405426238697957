using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Webhooks;

/// <summary>Scheduled segment runs and their webhooks.</summary>
public sealed class SegmentDeliveriesOptions
{
    public const string Section = "SegmentDeliveries";

    /// <summary>The tenant's local time of day (its report time zone) after which a daily segment runs, in the first hourly pass.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "23:59:59")]
    public TimeSpan LocalTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>New recipients per webhook POST; a run with more sends several, each with its own delivery id.</summary>
    [Range(1, 100_000)]
    public int PageSize { get; set; } = 1_000;
}
