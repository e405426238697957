using System.Text.Json;
using LinkTracker.Clicks.Enrichment;
using LinkTracker.Core.Segments;

namespace LinkTracker.Tests.Segments;

public sealed class SegmentFilterParserTests
{
    private static (SegmentFilter? Filter, Dictionary<string, string[]> Errors) Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return SegmentFilterParser.Parse(document.RootElement);
    }

    [Fact]
    public void A_tree_of_every_node_kind_is_read_with_its_conditions()
    {
        var (filter, errors) = Parse("""
            {"all": [
              {"clicked": {"campaign": "spring", "within": "P1W2DT3H4M"}},
              {"any": [{"clicked": {"link": "pricing"}}, {"clicked": {"tag": "newsletter", "from": "2026-11-01T00:00:00Z", "to": "2026-11-02T00:00:00.5+01:00"}}]},
              {"not": {"clicks": {"atLeast": 3, "human": true, "referrerHost": "News.Example.com"}}}
            ]}
            """);

        Assert.Empty(errors);
        var all = Assert.IsType<AllFilter>(filter);
        Assert.Equal(new ClickConditions(Campaign: "spring", Within: new TimeSpan(9, 3, 4, 0)), Assert.IsType<ClickedFilter>(all.Filters[0]).Conditions);
        var any = Assert.IsType<AnyFilter>(all.Filters[1]);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 23, 0, 0, 500, TimeSpan.Zero), Assert.IsType<ClickedFilter>(any.Filters[1]).Conditions.To);
        var clicks = Assert.IsType<ClicksFilter>(Assert.IsType<NotFilter>(all.Filters[2]).Filter);
        Assert.Equal((3, true, "news.example.com"), (clicks.AtLeast, clicks.Conditions.Human, clicks.Conditions.ReferrerHost));
    }

    [Theory]
    [InlineData("""{"all": [{"clicked": {}}, {"clicked": {"within": "7 days"}}]}""", "filter.all[1].clicked.within")]
    [InlineData("""{"all": []}""", "filter.all")]
    [InlineData("""{"some": {}}""", "filter.some")]
    [InlineData("""{"clicked": {}, "clicks": {}}""", "filter")]
    [InlineData("""[]""", "filter")]
    [InlineData("""{"clicks": {"within": "P1D"}}""", "filter.clicks.atLeast")]
    [InlineData("""{"clicks": {"atLeast": 0}}""", "filter.clicks.atLeast")]
    [InlineData("""{"clicked": {"atLeast": 2}}""", "filter.clicked.atLeast")]
    [InlineData("""{"clicked": {"within": "P1M"}}""", "filter.clicked.within")]
    [InlineData("""{"clicked": {"within": "P400D"}}""", "filter.clicked.within")]
    [InlineData("""{"clicked": {"within": "PT0M"}}""", "filter.clicked.within")]
    [InlineData("""{"clicked": {"within": "P1D", "from": "2026-11-01T00:00:00Z"}}""", "filter.clicked.within")]
    [InlineData("""{"clicked": {"from": "2026-11-02T00:00:00Z", "to": "2026-11-01T00:00:00Z"}}""", "filter.clicked.to")]
    [InlineData("""{"clicked": {"from": "2026-11-01"}}""", "filter.clicked.from")]
    [InlineData("""{"clicked": {"referrerHost": "https://news.example.com/"}}""", "filter.clicked.referrerHost")]
    [InlineData("""{"clicked": {"referrerHost": "news_%.example.com"}}""", "filter.clicked.referrerHost")]
    [InlineData("""{"clicked": {"human": "yes"}}""", "filter.clicked.human")]
    [InlineData("""{"clicked": {"link": ""}}""", "filter.clicked.link")]
    [InlineData("""{"clicked": {"code": "a"}}""", "filter.clicked.code")]
    [InlineData("""{"not": {"any": [{"clicked": {"campaign": 3}}]}}""", "filter.not.any[0].clicked.campaign")]
    [InlineData("""{"clicked": {"country": "DEU"}}""", "filter.clicked.country")]
    [InlineData("""{"clicked": {"country": []}}""", "filter.clicked.country")]
    [InlineData("""{"clicked": {"device": ["mobile", "phone"]}}""", "filter.clicked.device[1]")]
    [InlineData("""{"clicked": {"browser": "Chrome'; DROP TABLE clicks --"}}""", "filter.clicked.browser")]
    [InlineData("""{"clicked": {"os": 7}}""", "filter.clicked.os")]
    [InlineData("""{"clicks": {"atLeast": 2, "reason": "human"}}""", "filter.clicks.reason")]
    public void A_bad_node_is_named_by_its_path(string json, string path)
    {
        var (filter, errors) = Parse(json);

        Assert.Null(filter);
        Assert.Equal([path], errors.Keys);
        Assert.NotEmpty(errors[path][0]);
    }

    [Fact]
    public void Enrichment_conditions_take_a_value_or_a_list_normalised_as_stored()
    {
        var (filter, errors) = Parse("""
            {"clicked": {"country": ["de", "AT", "De"], "device": "Mobile", "browser": ["Samsung Internet", "chrome"], "os": "iOS", "reason": ["crawler", "HEAD"]}}
            """);

        Assert.Empty(errors);
        var c = Assert.IsType<ClickedFilter>(filter).Conditions;
        Assert.Equal(["AT", "DE"], c.Country);
        Assert.Equal(["mobile"], c.Device);
        Assert.Equal(["chrome", "samsung internet"], c.Browser);
        Assert.Equal(["ios"], c.Os);
        Assert.Equal(["crawler", "head"], c.Reason);
    }

    [Theory]
    [InlineData("device", "\"phone\"", "mobile, tablet, desktop, bot, other")]
    [InlineData("reason", "\"spam\"", "head, prefetch, crawler, no-user-agent, mail-scanner")]
    [InlineData("browser", "\"\"", "Chrome, Safari, Firefox")]
    [InlineData("os", "[]", "Windows, macOS, iOS, Android")]
    [InlineData("country", "\"Germany\"", "ISO 3166 two-letter code")]
    public void A_refused_enrichment_value_is_answered_with_the_allowed_ones(string condition, string value, string named)
    {
        var (_, errors) = Parse("{\"clicked\": {\"" + condition + "\": " + value + "}}");

        Assert.Contains(named, Assert.Single(errors).Value[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_closed_sets_are_what_the_enrichment_stage_stores()
    {
        Assert.Subset(EnrichedValues.Reasons.ToHashSet(), new HashSet<string>
            { HumanClassifier.Head, HumanClassifier.Prefetch, HumanClassifier.Crawler, HumanClassifier.NoUserAgent, MailScannerDetector.Reason });
        Assert.Subset(EnrichedValues.Devices.ToHashSet(), new HashSet<string> { DeviceEnricher.Bot, UserAgentFamilies.Other });
    }

    [Fact]
    public void Trees_too_deep_or_too_large_are_refused()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"not\": ", 9)) + "{\"clicked\": {}}" + new string('}', 9);
        var wide = "{\"any\": [" + string.Join(',', Enumerable.Repeat("{\"clicked\": {}}", SegmentFilterParser.MaxNodes)) + "]}";

        Assert.Contains("nests at most", Assert.Single(Parse(deep).Errors).Value[0], StringComparison.Ordinal);
        Assert.Contains("at most 64 nodes", Parse(wide).Errors["filter"][0], StringComparison.Ordinal);
    }
}
