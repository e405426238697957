using LinkTracker.Clicks;
using LinkTracker.Clicks.Enrichment;
using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracker.Tests.Clicks.Enrichment;

/// <summary>The production enrichers without a geo database, and clicks to feed them.</summary>
internal static class EnrichmentTestStage
{
    public const string Phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    public const string Desktop = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    public const string Googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    public static readonly CrawlerList Crawlers = new();
    public static readonly UserAgentFamilies Families = new();

    public static EnrichmentStage Create(string? geoDatabase = null) => new([
        new AddressTruncation(Options.Create(new CaptureOptions())),
        new HumanClassifier(Crawlers),
        new MailScannerDetector(Options.Create(new EnrichmentOptions())),
        new DeviceEnricher(Families),
        new GeoEnricher(Options.Create(new GeoOptions { DatabasePath = geoDatabase }), NullLogger<GeoEnricher>.Instance),
    ]);

    public static Click Click(string code, string? recipient, DateTimeOffset at, string? userAgent, string? address, ClickFlags flags = ClickFlags.None) =>
        new(Guid.CreateVersion7(at), "acme", code, recipient, at, userAgent, null, address, flags);
}
