using System.Text.Json;
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
    public void A_bad_node_is_named_by_its_path(string json, string path)
    {
        var (filter, errors) = Parse(json);

        Assert.Null(filter);
        Assert.Equal([path], errors.Keys);
        Assert.NotEmpty(errors[path][0]);
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
