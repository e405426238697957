using System.Text.Json;
using LinkTracker.Core.Links;
using LinkTracker.Links;

namespace LinkTracker.Tests.Links;

public class LinkPatchTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-01T00:00:00Z");

    private static readonly Link Original = new(
        "abc", "https://example.com/", ["a"], "spring", Now.AddDays(10), Disabled: false, Now, Now);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void Changes_only_the_properties_present()
    {
        var (link, errors) = LinkPatch.Apply(Original, Json("""{"url":"https://example.org/x","disabled":true}"""), Now);

        Assert.Empty(errors);
        Assert.Equal("https://example.org/x", link!.Destination);
        Assert.True(link.Disabled);
        Assert.Equal("spring", link.Campaign);
        Assert.Equal(["a"], link.Tags);
    }

    [Fact]
    public void Null_clears_campaign_and_expiry()
    {
        var (link, _) = LinkPatch.Apply(Original, Json("""{"campaign":null,"expiresAt":null}"""), Now);

        Assert.Null(link!.Campaign);
        Assert.Null(link.ExpiresAt);
    }

    [Theory]
    [InlineData("""{"url":"javascript:x"}""", "url")]
    [InlineData("""{"tags":"a"}""", "tags")]
    [InlineData("""{"disabled":"yes"}""", "disabled")]
    [InlineData("""{"expiresAt":"tomorrow"}""", "expiresAt")]
    [InlineData("""{"expiresAt":"2020-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"code":"new"}""", "code")]
    public void Refuses_bad_values_and_unknown_properties(string json, string field)
    {
        var (link, errors) = LinkPatch.Apply(Original, Json(json), Now);

        Assert.Null(link);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void Refuses_a_body_that_is_not_an_object() => Assert.Null(LinkPatch.Apply(Original, Json("[1]"), Now).Link);
}
