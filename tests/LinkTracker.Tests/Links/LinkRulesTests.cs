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
    public void A_null_tag_is_refused_and_normalising_it_does_not_throw()
    {
        Assert.NotNull(LinkRules.ValidateTags(["ok", null!]));
        Assert.Equal(["ok"], LinkRules.NormalizeTags(["ok", null!]));
    }

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

    [Theory]
    [InlineData("https://bücher.example/straße?q=café#über", "https://xn--bcher-kva.example/stra%C3%9Fe?q=caf%C3%A9#%C3%BCber")]
    [InlineData("https://例え.jp:8443/パス", "https://xn--r8jz45g.jp:8443/%E3%83%91%E3%82%B9")]
    [InlineData("https://example.com/emoji/😀", "https://example.com/emoji/%F0%9F%98%80")]
    [InlineData("https://example.com/plain?a=%20", "https://example.com/plain?a=%20")]
    public void Stores_an_ascii_destination_punycode_host_and_percent_encoded_utf8(string url, string stored)
    {
        Assert.Null(LinkRules.NormalizeDestination(url, out var destination));
        Assert.Equal(stored, destination);
    }

    [Theory]
    [InlineData("https://example.com/a\u0085b", "U+0085")]
    [InlineData("https://example.com/a\u2028b", "U+2028")]
    [InlineData("https://example.com/a\u2029b", "U+2029")]
    [InlineData("https://exam\u200Bple.com/", "U+200B")]
    [InlineData("https://example.com/\u200Epath", "U+200E")]
    [InlineData("https://example.com/\u202Egnp.exe", "U+202E")]
    [InlineData("https://example.com/\u00A0", "U+00A0")]
    [InlineData("https://example.com/\U000E0041", "U+E0041")]
    public void Refuses_control_and_invisible_characters_naming_them(string url, string codePoint)
    {
        var problem = LinkRules.NormalizeDestination(url, out var destination);

        Assert.Null(destination);
        Assert.Contains(codePoint, problem, StringComparison.Ordinal);
        Assert.StartsWith("url ", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://bad host.例/", "spaces or control")]
    [InlineData("https://ü@evil.example/", "user name or password")]
    [InlineData("ｈttps://example.com/", "absolute")]
    public void Refuses_non_ascii_that_cannot_be_a_clean_address(string url, string reason) =>
        Assert.Contains(reason, LinkRules.NormalizeDestination(url, out _), StringComparison.Ordinal);

    [Fact]
    public void Refuses_a_host_that_is_no_domain_name() =>
        Assert.Contains("international domain name", LinkRules.NormalizeDestination($"https://{new string('ü', 70)}.example/", out _), StringComparison.Ordinal);

    [Fact]
    public void Refuses_a_destination_that_grows_over_2048_characters_when_encoded() =>
        Assert.Contains("once its non-ASCII characters are encoded", LinkRules.NormalizeDestination("https://example.com/" + new string('é', 1000), out _), StringComparison.Ordinal);

    [Theory]
    [InlineData("https://example.com/a", "https://example.com/a")]
    [InlineData("https://bücher.example/é", "https://xn--bcher-kva.example/%C3%A9")]
    [InlineData("https://example.com/a\u2028b", null)]
    [InlineData("https://example.com/a b", null)]
    public void A_stored_destination_becomes_a_location_or_nothing(string stored, string? location) =>
        Assert.Equal(location, Destinations.ForLocation(stored));

    [Fact]
    public void Refuses_a_lone_surrogate() =>
        Assert.Contains("U+D800", LinkRules.NormalizeDestination("https://example.com/" + (char)0xD800, out _), StringComparison.Ordinal);
}
