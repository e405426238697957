using System.Text.Json;
using LinkTracker.Core.Links;
using LinkTracker.Links;

namespace LinkTracker.Tests.Links;

public class UtmParametersTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-06-01T00:00:00Z");

    [Theory]
    [InlineData("https://example.com/p", "https://example.com/p?utm_source=news&utm_medium=email")]
    [InlineData("https://example.com/p?a=1&utm_source=old&b=2", "https://example.com/p?a=1&b=2&utm_source=news&utm_medium=email")]
    [InlineData("https://example.com/p?utm_campaign=keep#top", "https://example.com/p?utm_campaign=keep&utm_source=news&utm_medium=email#top")]
    [InlineData("https://example.com/p?UTM_SOURCE=x&q=a%20b", "https://example.com/p?q=a%20b&utm_source=news&utm_medium=email")]
    public void Replaces_the_utm_names_it_sets_and_keeps_the_rest(string url, string expected) =>
        Assert.Equal(expected, UtmParameters.Apply(url, new LinkUtm(Source: "news", Medium: "email")));

    [Fact]
    public void Encodes_values_as_utf8()
    {
        var built = UtmParameters.Apply("https://example.com/", new LinkUtm(Campaign: "été & co=1?#"));

        Assert.Equal("https://example.com/?utm_campaign=%C3%A9t%C3%A9%20%26%20co%3D1%3F%23", built);
        Assert.True(Uri.TryCreate(built, UriKind.Absolute, out var uri));
        Assert.Equal("été & co=1?#", Uri.UnescapeDataString(uri.Query["?utm_campaign=".Length..]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("a\u0001b")]
    public void Refuses_empty_and_control_values(string value) =>
        Assert.NotNull(UtmParameters.Validate(value, "source"));

    [Fact]
    public void Refuses_a_lone_surrogate_and_accepts_a_pair()
    {
        Assert.NotNull(UtmParameters.Validate(new string([(char)0xD800, 'x']), "source"));
        Assert.Null(UtmParameters.Validate("🎉", "source"));
    }

    [Fact]
    public void Refuses_a_value_over_the_limit_with_the_limit_in_the_message()
    {
        var errors = new Dictionary<string, string[]>();
        UtmParameters.Validate(new LinkUtm(Term: new string('x', UtmParameters.MaxValueLength + 1)), "links[2].", errors);

        Assert.Contains("200", Assert.Single(errors["links[2].utm.term"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_patch_of_one_field_keeps_the_others_and_a_cleared_field_leaves_the_query()
    {
        var utm = new LinkUtm(Source: "news", Medium: "email");
        var link = new Link("abc", UtmParameters.Apply("https://example.com/?x=1", utm), [], null, null, false, Now, Now, Features: new LinkFeatures(utm));

        var (changed, errors) = LinkPatch.Apply(link, JsonDocument.Parse("""{"utm":{"source":"ads","medium":null}}""").RootElement, Now);

        Assert.Empty(errors);
        Assert.Equal("https://example.com/?x=1&utm_source=ads", changed!.Destination);
        Assert.Equal(new LinkUtm(Source: "ads"), changed.Features.Utm);
    }

    [Fact]
    public void A_new_url_in_a_patch_gets_the_stored_utm()
    {
        var utm = new LinkUtm(Source: "news");
        var link = new Link("abc", "https://example.com/?utm_source=news", [], null, null, false, Now, Now, Features: new LinkFeatures(utm));

        var (changed, _) = LinkPatch.Apply(link, JsonDocument.Parse("""{"url":"https://example.org/new"}""").RootElement, Now);

        Assert.Equal("https://example.org/new?utm_source=news", changed!.Destination);
    }

    [Theory]
    [InlineData("""{"utm":{"sauce":"x"}}""", "utm.sauce")]
    [InlineData("""{"utm":{"source":7}}""", "utm.source")]
    [InlineData("""{"utm":"x"}""", "utm")]
    public void A_bad_utm_patch_names_the_field(string json, string field)
    {
        var link = new Link("abc", "https://example.com/", [], null, null, false, Now, Now);

        var (changed, errors) = LinkPatch.Apply(link, JsonDocument.Parse(json).RootElement, Now);

        Assert.Null(changed);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void Utm_null_removes_every_parameter_it_added()
    {
        var utm = new LinkUtm(Source: "news", Content: "hero");
        var link = new Link("abc", UtmParameters.Apply("https://example.com/?a=1", utm), [], null, null, false, Now, Now, Features: new LinkFeatures(utm));

        var (changed, _) = LinkPatch.Apply(link, JsonDocument.Parse("""{"utm":null}""").RootElement, Now);

        Assert.Equal("https://example.com/?a=1", changed!.Destination);
        Assert.True(changed.Features.IsNone);
    }
}
