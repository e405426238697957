using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Legacy;

/// <summary>The strangler fallback: how codes this service does not know are asked of a tenant's legacy link tracker.</summary>
public sealed class LegacyOptions
{
    public const string Section = "Legacy";

    /// <summary>How long the legacy system may take to answer a code; longer is a 504 for the person clicking.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Requests one tenant may have in flight to its legacy system at once; more are answered 503 at once.</summary>
    [Range(1, 1_000)]
    public int MaxConcurrentPerTenant { get; set; } = 16;

    /// <summary>The breaker opens when half of at least this many requests in the sampling window failed (5xx, timeout, no connection).</summary>
    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window in which the breaker counts failures.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker answers without asking the legacy system, before one trial request.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a node keeps a tenant's legacy base URL before reading it again (edges learn of a change this late).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SettingsRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many legacy codes the migration view lists.</summary>
    [Range(1, 1_000)]
    public int TopCodes { get; set; } = 20;

    /// <summary>Lets a legacy base URL be a loopback or private address; off, so a tenant cannot aim the service at the operator's network.</summary>
    public bool AllowPrivateTargets { get; set; }
}
