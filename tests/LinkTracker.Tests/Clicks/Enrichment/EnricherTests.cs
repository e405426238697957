using LinkTracker.Clicks.Enrichment;
using LinkTracker.Core.Clicks;
using static LinkTracker.Tests.Clicks.Enrichment.EnrichmentTestStage;

namespace LinkTracker.Tests.Clicks.Enrichment;

public class EnricherTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static Click One(Click click) => Create().Enrich("acme", [click])[0];

    [Fact]
    public void Every_pattern_of_the_crawler_list_is_a_valid_expression_and_the_list_is_not_empty()
    {
        Assert.True(Crawlers.Patterns.Count > 1_000);
        foreach (var pattern in Crawlers.Patterns)
        {
            _ = new System.Text.RegularExpressions.Regex(pattern);
        }
    }

    [Theory]
    [InlineData(Googlebot)]
    [InlineData("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)")]
    [InlineData("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")]
    [InlineData("python-requests/2.31")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Proofpoint URL Defense")]
    [InlineData("curl/8.5.0")]
    public void Crawlers_previewers_scanners_and_libraries_are_not_human(string userAgent)
    {
        var click = One(Click("a", "r1", T0, userAgent, "203.0.113.7"));
        Assert.False(click.IsHuman);
        Assert.Equal("crawler", click.Reason);
        Assert.Equal("bot", click.Device);
    }

    [Theory]
    [InlineData(Phone)]
    [InlineData(Desktop)]
    public void Browsers_are_human_without_a_reason(string userAgent)
    {
        var click = One(Click("a", "r1", T0, userAgent, "203.0.113.7"));
        Assert.True(click.IsHuman);
        Assert.Null(click.Reason);
    }

    [Theory]
    [InlineData(ClickFlags.Head, "head")]
    [InlineData(ClickFlags.Prefetch, "prefetch")]
    [InlineData(ClickFlags.Head | ClickFlags.Prefetch, "head")]
    public void Head_and_prefetch_requests_are_flagged_with_their_reason(ClickFlags flags, string reason)
    {
        var click = One(Click("a", "r1", T0, Phone, "203.0.113.7", flags));
        Assert.False(click.IsHuman);
        Assert.Equal(reason, click.Reason);
    }

    [Fact]
    public void A_missing_user_agent_is_not_human()
    {
        var click = One(Click("a", "r1", T0, null, "203.0.113.7"));
        Assert.Equal("no-user-agent", click.Reason);
        Assert.Equal(ClickFlags.Bot, click.Flags);
    }

    [Theory]
    [InlineData(Phone, "mobile", "Safari", "iOS")]
    [InlineData(Desktop, "desktop", "Chrome", "Windows")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36", "mobile", "Chrome", "Android")]
    [InlineData("Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "tablet", "Chrome", "Android")]
    [InlineData("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", "tablet", "Safari", "iOS")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0", "desktop", "Edge", "Windows")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0", "desktop", "Firefox", "macOS")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0", "desktop", "Opera", "Linux")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36", "mobile", "Samsung Internet", "Android")]
    [InlineData("SomethingUnheardOf/1.0", "other", "other", "other")]
    public void Device_browser_and_os_come_from_the_user_agent(string userAgent, string device, string browser, string os)
    {
        var click = One(Click("a", "r1", T0, userAgent, "203.0.113.7"));
        Assert.Equal((device, browser, os), (click.Device, click.Browser, click.Os));
    }

    [Fact]
    public void The_address_is_truncated_last_and_the_full_address_is_never_stored()
    {
        var click = One(Click("a", "r1", T0, Phone, "203.0.113.77"));
        Assert.Equal("203.0.113.0", click.ClientAddress);
        Assert.Equal("2001:db8:1234::", One(Click("a", "r1", T0, Phone, "2001:db8:1234:5678::1")).ClientAddress);
        Assert.Null(One(Click("a", "r1", T0, Phone, "not an address")).ClientAddress);
    }

    [Fact]
    public void The_stage_refuses_an_order_without_truncation_last_or_two_enrichers_on_one_order()
    {
        Assert.Throws<InvalidOperationException>(() => new EnrichmentStage([new HumanClassifier(Crawlers)]));
        Assert.Throws<InvalidOperationException>(() => new EnrichmentStage([
            new HumanClassifier(Crawlers), new HumanClassifier(Crawlers),
            new AddressTruncation(Microsoft.Extensions.Options.Options.Create(new LinkTracker.Clicks.CaptureOptions()))]));
    }

    [Fact]
    public void A_recipient_opening_many_links_from_one_network_within_seconds_is_a_mail_scanner_from_the_third_link_on()
    {
        var stage = Create();
        Click[] sweep = [
            Click("a", "bob", T0, Desktop, "198.51.100.10"),
            Click("b", "bob", T0.AddSeconds(1), Desktop, "198.51.100.11"),
            Click("c", "bob", T0.AddSeconds(2), Desktop, "198.51.100.12"),
            Click("d", "bob", T0.AddSeconds(3), Desktop, "198.51.100.13"),
            // Same links, another recipient, or much later: people.
            Click("c", "eve", T0.AddSeconds(2), Desktop, "198.51.100.12"),
            Click("e", "bob", T0.AddMinutes(5), Desktop, "198.51.100.10"),
        ];
        var enriched = stage.Enrich("acme", sweep);

        Assert.Equal([null, null, "mail-scanner", "mail-scanner", null, null], enriched.Select(c => c.Reason));
        Assert.Equal(ClickFlags.MailScanner, enriched[2].Flags);

        // The same clicks again (a replayed batch) get the same verdicts.
        Assert.Equal(enriched.Select(c => c.Reason), stage.Enrich("acme", sweep).Select(c => c.Reason));
    }

    [Fact]
    public void The_mail_scanner_detector_forgets_old_clicks_and_scans_its_memory_at_most_once_a_window()
    {
        var detector = new MailScannerDetector(Microsoft.Extensions.Options.Options.Create(new EnrichmentOptions()));
        var window = new EnrichmentOptions().MailScannerWindow;
        ClickDraft[] Drafts(int from, int count, DateTimeOffset at) =>
            [.. Enumerable.Range(from, count).Select(i => new ClickDraft(Click("a", "r" + i, at, Desktop, "198.51.100.7")))];

        // A blast: a distinct recipient per click, in many small batches within one window.
        detector.Enrich("acme", Drafts(0, 10_001, T0));
        for (var b = 0; b < 200; b++)
        {
            detector.Enrich("acme", Drafts(10_001 + b, 1, T0.AddMilliseconds(b)));
        }

        Assert.Equal(10_201, detector.Remembered);
        Assert.Equal(1, detector.PrunePasses);

        // Three windows later the blast is forgotten.
        detector.Enrich("acme", Drafts(20_000, 1, T0 + (3 * window)));
        Assert.Equal(1, detector.Remembered);
        Assert.Equal(2, detector.PrunePasses);
    }
}
