using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Reports;

/// <summary>Daily reports: when a day counts as over, how far the schedule catches up, and webhook delivery.</summary>
public sealed class ReportsOptions
{
    public const string Section = "Reports";

    /// <summary>The most days one POST /api/reports may ask for: a month of jobs at once.</summary>
    public const int MaxRangeDays = 31;

    /// <summary>How long after a local day ends its report waits for late clicks (journal and writer lag) before it is made or may be asked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan LateClicksGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Each daily pass makes the reports missing among this many last ended days (days missed while the service was down).</summary>
    [Range(1, MaxRangeDays)]
    public int CatchUpDays { get; set; } = 7;

    /// <summary>How long a webhook may take to answer; longer counts as a failed attempt, retried with the queue's backoff.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Lets webhooks reach loopback and private addresses; off, so a tenant cannot aim the service at the operator's internal network.</summary>
    public bool AllowPrivateWebhookTargets { get; set; }
}
