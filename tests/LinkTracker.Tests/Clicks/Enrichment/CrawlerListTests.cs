using System.Text.RegularExpressions;
using CsCheck;
using LinkTracker.Clicks.Enrichment;
using static LinkTracker.Tests.Clicks.Enrichment.EnrichmentTestStage;

namespace LinkTracker.Tests.Clicks.Enrichment;

/// <summary>
/// The crawler list's prefilter (each expression tried only when its required plain run occurs) is exact: against the
/// model, every pattern of the list tried on its own plus the scanner markers, the verdicts are the same.
/// </summary>
public class CrawlerListTests
{
    private static readonly Regex[] Model = [.. Crawlers.Patterns.Select(p => new Regex(p, RegexOptions.CultureInvariant))];

    private static readonly string[] Markers = ["proofpoint", "Barracuda", "headless", "SPIDER", "preview"];

    // Browser agents, crawler patterns with their escapes removed (most then match their own pattern, a few no longer
    // do), their required runs, and pieces that sit next to the runs in real agents.
    private static readonly string[] Fragments =
    [
        .. Enumerable.Repeat(Phone, 300), .. Enumerable.Repeat(Desktop, 300), "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", " ", "/", "(", ")", "2.1", "_",
        .. Crawlers.Patterns.Select(p => p.Replace("\\", "", StringComparison.Ordinal).Trim('^', '$')),
        .. Crawlers.Patterns.Select(RequiredLiteral.Of).OfType<string>(),
        .. Markers,
    ];

    private static readonly IReadOnlyList<string> ScannerMarkers = EnrichmentData.Lines("scanner-user-agents.txt");

    private static bool ModelIsCrawler(string agent) =>
        ScannerMarkers.Any(m => agent.Contains(m, StringComparison.OrdinalIgnoreCase)) || Model.Any(r => r.IsMatch(agent));

    [Theory]
    [InlineData(@"yandex\.com\/bots", "yandex.com/bots")]
    [InlineData(@"AdsBot-Google([^-]|$)", "AdsBot-Google")]
    [InlineData(@"[wW]get", "get")]
    [InlineData(@"(sistrix|SISTRIX) [cC]rawler", "rawler")]
    [InlineData(@"BlogTraffic\/\d\.\d+ Feed-Fetcher", " Feed-Fetcher")]
    [InlineData(@"Spider[\s\S]*spider\.com", "spider.com")]
    [InlineData(@"^curl", "curl")]
    [InlineData(@"colou?r-scanner", "r-scanner")]
    [InlineData(@"abc+defg", "defg")]
    [InlineData(@"Automaton|Newsify Feed Fetcher", null)]
    [InlineData(@"(?i)googlebot", null)]
    [InlineData(@"^LCC ", "LCC ")]
    [InlineData(@"a.b.c", null)]
    [InlineData(@"x{2,3}yz", null)]
    public void The_required_run_of_an_expression_is_found_conservatively(string pattern, string? run)
    {
        Assert.Equal(run, RequiredLiteral.Of(pattern));
    }

    [Fact]
    public void Every_required_run_occurs_in_what_its_pattern_matches()
    {
        // The patterns that, unescaped, match themselves: their required run must be in that text.
        var checkedCount = 0;
        foreach (var pattern in Crawlers.Patterns)
        {
            var text = pattern.Replace("\\", "", StringComparison.Ordinal).Trim('^', '$');
            if (RequiredLiteral.Of(pattern) is { } run && Regex.IsMatch(text, pattern))
            {
                Assert.Contains(run, text, StringComparison.Ordinal);
                checkedCount++;
            }
        }

        Assert.True(checkedCount > 100, $"only {checkedCount} patterns checked");
    }

    [Fact]
    public void The_prefiltered_verdict_is_the_full_lists_verdict()
    {
        var list = new CrawlerList();
        int crawlers = 0, people = 0;
        Gen.Int[0, Fragments.Length - 1].Array[1, 4]
            .Select(parts => string.Concat(parts.Select(i => Fragments[i])))
            .Sample(
                agent =>
                {
                    var expected = ModelIsCrawler(agent);
                    Assert.Equal(expected, list.IsCrawler(agent));
                    _ = expected ? Interlocked.Increment(ref crawlers) : Interlocked.Increment(ref people);
                },
                iter: 3_000);

        // Both verdicts were exercised (fragments are mostly patterns, so most agents are crawlers).
        Assert.True(crawlers > 100 && people > 20, $"{crawlers} crawlers, {people} people");
    }

    [Fact]
    public void Browsers_are_not_crawlers_and_the_verdict_is_the_same_from_the_cache()
    {
        var list = new CrawlerList();
        foreach (var agent in (string[])[Phone, Desktop, Phone, Desktop])
        {
            Assert.False(list.IsCrawler(agent));
        }

        Assert.True(list.IsCrawler(Googlebot));
        Assert.True(list.IsCrawler(Googlebot));
    }
}
