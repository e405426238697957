using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Clicks;

public sealed class WriterOptions
{
    public const string Section = "Writer";

    /// <summary>Most clicks in one write transaction (one tenant per transaction).</summary>
    [Range(1, 50_000)]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>The cap on write transactions per second across all tenants: the database's flat write load.</summary>
    [Range(1, 10_000)]
    public int MaxTransactionsPerSecond { get; set; } = 20;

    /// <summary>
    /// Linux nice of the writer's thread (0 to 19): above 0, redirects get the CPU first when both want it and the writer's
    /// work becomes lag; on an idle machine it changes nothing. 0 runs the writer like everything else. 19 by default: with
    /// the server on one core, Durable redirects under wrk went from 9.2–12.5k req/s at 10 to 13.5–20.7k (docs/benchmarks.md, session 19).
    /// </summary>
    [Range(0, 19)]
    public int Nice { get; set; } = 19;

    /// <summary>On shutdown, keep writing for up to this long; what is left stays in the journal for the next start.</summary>
    [Range(0, 300)]
    public int DrainOnStopSeconds { get; set; } = 5;

    /// <summary>After a failed write, a tenant waits this long (doubling, up to a minute) before the next try.</summary>
    [Range(1, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 500;
}
