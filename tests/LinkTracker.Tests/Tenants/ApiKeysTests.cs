using System.Security.Cryptography;
using LinkTracker.Tenants;

namespace LinkTracker.Tests.Tenants;

public class ApiKeysTests
{
    [Fact]
    public void A_generated_key_parses_back_to_its_hash()
    {
        var (_, token, hash) = ApiKeys.Generate();

        Assert.True(ApiKeys.TryParse(token, out var parsedHash, out var legacyId));
        Assert.Equal(hash, parsedHash);
        Assert.Null(legacyId);
    }

    [Fact]
    public void The_id_is_opaque_and_no_part_of_the_token()
    {
        var (id, token, _) = ApiKeys.Generate();

        Assert.Matches("^key_[0-9a-f]{16}$", id);
        Assert.Matches("^lt_[0-9a-f]{64}$", token);
        Assert.DoesNotContain(id[ApiKeys.IdPrefix.Length..], token, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_keys_token_gives_another_hash()
    {
        var (_, _, hash) = ApiKeys.Generate();
        var (_, other, _) = ApiKeys.Generate();
        Assert.True(ApiKeys.TryParse(other, out var otherHash, out _));

        Assert.NotEqual(hash, otherHash);
    }

    [Fact]
    public void A_key_of_an_earlier_release_authenticates_by_its_secret_part_and_names_its_old_id()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var token = "lt_0123456789abcdef" + Convert.ToHexStringLower(secret);

        Assert.True(ApiKeys.TryParse(token, out var hash, out var legacyId));
        Assert.Equal(SHA256.HashData(secret), hash);
        Assert.Equal("0123456789abcdef", legacyId);
    }

    [Fact]
    public void Keys_and_ids_are_random()
    {
        var (firstId, first, _) = ApiKeys.Generate();
        var (secondId, second, _) = ApiKeys.Generate();
        Assert.NotEqual(first, second);
        Assert.NotEqual(firstId, secondId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lt_")]
    [InlineData("key_0123456789abcdef")]
    [InlineData("sk_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("lt_0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("lt_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("lt_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    [InlineData("lt_0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Malformed_tokens_do_not_parse(string token) => Assert.False(ApiKeys.TryParse(token, out _, out _));
}
