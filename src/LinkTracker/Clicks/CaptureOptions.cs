using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Clicks;

public sealed class CaptureOptions
{
    public const string Section = "Capture";

    /// <summary>Durable: answer after the click is committed; Buffered: answer at once.</summary>
    public CaptureMode Mode { get; set; } = CaptureMode.Durable;

    /// <summary>How hard each group commit of the journal is synced to disk.</summary>
    public JournalSync Synchronous { get; set; } = JournalSync.Full;

    /// <summary>Most clicks in one group commit.</summary>
    [Range(1, 100_000)]
    public int MaxGroupSize { get; set; } = 4_096;

    /// <summary>In Buffered mode, clicks waiting beyond this make redirects wait for the commit (back-pressure).</summary>
    [Range(1, 10_000_000)]
    public int MaxBuffered { get; set; } = 100_000;

    /// <summary>Leading bits of an IPv4 client address kept (24 keeps 203.0.113.x as 203.0.113.0; 0 keeps none).</summary>
    [Range(0, 32)]
    public int IPv4PrefixLength { get; set; } = 24;

    /// <summary>Leading bits of an IPv6 client address kept (0 keeps none).</summary>
    [Range(0, 128)]
    public int IPv6PrefixLength { get; set; } = 48;
}
