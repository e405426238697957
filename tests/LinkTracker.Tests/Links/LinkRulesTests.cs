using LinkTracker.Links;

namespace LinkTracker.Tests.Links;

public class LinkRulesTests
{
    [Theory]
    [InlineData("https://example.com")]
    [InlineData("http://example.com/a/b?c=d&e=%20#f")]
    [InlineData("https://xn--bcher-kva.example/path")]
    public void Accepts_absolute_http_and_https(string url) => Assert.Null(LinkRules.ValidateDestination(url));

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("javascript:alert(1)", "'javascript:'")]
    [InlineData("data:text/html,<script>alert(1)</script>", "'data:'")]
    [InlineData("ftp://example.com/file", "'ftp:'")]
    [InlineData("/relative/path", "absolute")]
    [InlineData("example.com/page", "absolute")]
    [InlineData("https://example.com/a b", "spaces or control")]
    [InlineData("https://example.com/\u0000", "spaces or control")]
    [InlineData("https://example.com/\r\nSet-Cookie:x", "spaces or control")]
    [InlineData("https://paypal.com@evil.example/", "user name or password")]
    public void Refuses_with_a_reason(string? url, string reason) =>
        Assert.Contains(reason, LinkRules.ValidateDestination(url), StringComparison.Ordinal);

    [Fact]
    public void Refuses_destinations_over_2048_characters()
    {
        Assert.Null(LinkRules.ValidateDestination("https://example.com/" + new string('a', 2048 - 20)));
        Assert.Contains("at most 2048", LinkRules.ValidateDestination("https://example.com/" + new string('a', 2048 - 19)), StringComparison.Ordinal);
    }

    [Fact]
    public void Tags_are_trimmed_deduplicated_and_sorted() =>
        Assert.Equal(["a", "b"], LinkRules.NormalizeTags(["b ", "a", "b"]));

    [Fact]
    public void Refuses_too_many_or_bad_tags()
    {
        Assert.NotNull(LinkRules.ValidateTags([.. Enumerable.Range(0, 21).Select(i => $"t{i}")]));
        Assert.NotNull(LinkRules.ValidateTags(["ok", "bad\ttag"]));
        Assert.NotNull(LinkRules.ValidateTags([" "]));
        Assert.Null(LinkRules.ValidateTags(["spring sale", "vip"]));
    }

    [Fact]
    public void Refuses_an_expiry_in_the_past()
    {
        var now = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        Assert.NotNull(LinkRules.ValidateExpiry(now.AddSeconds(-1), now));
        Assert.Null(LinkRules.ValidateExpiry(now.AddSeconds(1), now));
        Assert.Null(LinkRules.ValidateExpiry(null, now));
    }
}
