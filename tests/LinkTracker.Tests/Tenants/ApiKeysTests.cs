using LinkTracker.Tenants;

namespace LinkTracker.Tests.Tenants;

public class ApiKeysTests
{
    [Fact]
    public void A_generated_key_parses_back_and_matches_its_hash()
    {
        var (id, token, hash) = ApiKeys.Generate();

        Assert.True(ApiKeys.TryParse(token, out var parsedId, out var secret));
        Assert.Equal(id, parsedId);
        Assert.Equal(32, secret.Length);
        Assert.True(ApiKeys.Matches(secret, hash));
    }

    [Fact]
    public void Another_keys_secret_does_not_match()
    {
        var (_, _, hash) = ApiKeys.Generate();
        var (_, other, _) = ApiKeys.Generate();
        Assert.True(ApiKeys.TryParse(other, out _, out var secret));

        Assert.False(ApiKeys.Matches(secret, hash));
    }

    [Fact]
    public void Keys_are_random() => Assert.NotEqual(ApiKeys.Generate().Token, ApiKeys.Generate().Token);

    [Theory]
    [InlineData("")]
    [InlineData("lt_")]
    [InlineData("sk_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("lt_0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("lt_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    public void Malformed_tokens_do_not_parse(string token) => Assert.False(ApiKeys.TryParse(token, out _, out _));
}
