using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Clicks;

/// <summary>The edge's forwarder, journal → broker (only when RabbitMq:Uri is set).</summary>
public sealed class ForwarderOptions
{
    public const string Section = "Forwarder";

    /// <summary>Most clicks in one broker message (one tenant per message).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>A tenant with fewer than BatchSize clicks waiting is forwarded once its oldest has waited this long: fuller messages, bigger write transactions.</summary>
    [Range(0, 10_000)]
    public int LingerMilliseconds { get; set; } = 200;

    /// <summary>After a failed publish, wait this long (doubling, up to 10 s) before the next try; redirects go on meanwhile.</summary>
    [Range(1, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 200;

    /// <summary>On shutdown, keep forwarding for up to this long; what is left stays in the journal for the next start.</summary>
    [Range(0, 300)]
    public int DrainOnStopSeconds { get; set; } = 5;
}
