namespace LinkTracker.Clicks.Enrichment;

public sealed class GeoOptions
{
    public const string Section = "Geo";

    /// <summary>A MaxMind-format database (.mmdb, City or Country) for country and city; empty: no geo, one warning at start.</summary>
    public string? DatabasePath { get; set; }
}
