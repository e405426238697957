using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Clicks.Enrichment;

public sealed class EnrichmentOptions
{
    public const string Section = "Enrichment";

    /// <summary>How close in time a recipient's clicks from one network must be to count as one mail scanner's sweep.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MailScannerWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Distinct links of one recipient within the window, from one network, that make a sweep (the click that reaches it and later ones are flagged).</summary>
    [Range(2, 1_000)]
    public int MailScannerLinks { get; set; } = 3;
}
