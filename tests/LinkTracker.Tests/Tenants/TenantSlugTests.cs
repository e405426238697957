using LinkTracker.Tenants;

namespace LinkTracker.Tests.Tenants;

public class TenantSlugTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("a-1")]
    [InlineData("big-co-2026")]
    public void Accepts_lowercase_letters_digits_and_hyphens(string slug) => Assert.Null(TenantSlug.Validate(slug));

    [Theory]
    [InlineData("", "3 to 63")]
    [InlineData("ab", "3 to 63")]
    [InlineData("Acme", "lowercase")]
    [InlineData("ac.me", "lowercase")]
    [InlineData("ac_me", "lowercase")]
    [InlineData("-acme", "hyphen")]
    [InlineData("acme-", "hyphen")]
    [InlineData("www", "reserved")]
    [InlineData("api", "reserved")]
    [InlineData("admin", "reserved")]
    public void Refuses_with_a_reason(string slug, string reason) =>
        Assert.Contains(reason, TenantSlug.Validate(slug), StringComparison.Ordinal);

    [Fact]
    public void Refuses_more_than_63_characters() => Assert.NotNull(TenantSlug.Validate(new string('a', 64)));
}
