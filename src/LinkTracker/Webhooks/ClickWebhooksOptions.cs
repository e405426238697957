using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Webhooks;

/// <summary>Click webhooks: how often each tenant's stored clicks are delivered, in what batches, and how late a click may be stored.</summary>
public sealed class ClickWebhooksOptions
{
    public const string Section = "ClickWebhooks";

    /// <summary>How often each tenant with a click webhook gets a delivery job (one at a time per tenant).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Clicks read, and at most sent, per POST.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Batches one job sends before it leaves the rest to the next one, so other tenants' jobs get their turn.</summary>
    [Range(1, 1_000)]
    public int MaxBatchesPerRun { get; set; } = 20;

    /// <summary>
    /// How long after its click a click may still be stored (edge clocks, capture, writer lag not seen as waiting): only
    /// clicks older than this, and older than the oldest click still waiting to be stored, are delivered.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the scheduler looks again for the tenants that have a click webhook (a new one starts within this time).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromMinutes(1);
}
