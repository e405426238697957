using System.Security.Cryptography;
using CsCheck;
using LinkTracker.SignedLinks;

namespace LinkTracker.Tests.SignedLinks;

public sealed class SignedLinkCodecTests
{
    private static readonly byte[] Old = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] New = RandomNumberGenerator.GetBytes(32);
    private static readonly SignedLinkPayload Payload = new("acme", "https://example.com/p?x=1", "nov", DateTimeOffset.FromUnixTimeSeconds(2_000_000_000));

    private static byte[]? Keys(string id) => id switch { "old1" => Old, "new1" => New, _ => null };

    private static SignedLinkCheck Check(string token, string tenant = "acme", Func<string, byte[]?>? keys = null) =>
        SignedLinkCodec.Verify(token, tenant, keys ?? Keys, out _);

    [Fact]
    public void A_signed_token_verifies_and_gives_back_its_payload()
    {
        var token = SignedLinkCodec.Sign(Payload, "new1", New);

        Assert.Equal(SignedLinkCheck.Valid, SignedLinkCodec.Verify(token, "ACME", Keys, out var payload));
        Assert.Equal(Payload, payload);
        Assert.Equal(Payload with { Campaign = null, ExpiresAt = null }, Verified(SignedLinkCodec.Sign(Payload with { Campaign = null, ExpiresAt = null }, "new1", New)));
        Assert.StartsWith("s-", SignedLinkCodec.CodeOf(token), StringComparison.Ordinal);
        Assert.Equal(14, SignedLinkCodec.CodeOf(token).Length);
        Assert.Equal(SignedLinkCodec.CodeOf(token), SignedLinkCodec.CodeOf(SignedLinkCodec.Sign(Payload, "new1", New)));
    }

    [Fact]
    public void Tampering_with_any_part_is_refused()
    {
        var token = SignedLinkCodec.Sign(Payload, "new1", New);
        var parts = token.Split('.');
        var other = SignedLinkCodec.Sign(Payload with { Destination = "https://evil.example/" }, "new1", New).Split('.');

        Assert.Equal(SignedLinkCheck.BadSignature, Check($"{other[0]}.{parts[1]}.{parts[2]}"));
        Assert.Equal(SignedLinkCheck.BadSignature, Check($"{parts[0]}.old1.{parts[2]}"));
        Assert.Equal(SignedLinkCheck.UnknownKey, Check($"{parts[0]}.zzz9.{parts[2]}"));
        Assert.Equal(SignedLinkCheck.BadSignature, Check($"{parts[0]}.{parts[1]}.{other[2]}"));
        Assert.Equal(SignedLinkCheck.Malformed, Check($"{parts[0]}.{parts[1]}.{parts[2][..^2]}"));
        Assert.Equal(SignedLinkCheck.Malformed, Check($"{parts[0]}.{parts[1]}"));
        Assert.Equal(SignedLinkCheck.Malformed, Check($"{parts[0]}.NEW1.{parts[2]}"));
        Assert.Equal(SignedLinkCheck.Malformed, Check(new string('a', SignedLinkCodec.MaxTokenLength + 1)));
        Assert.Equal(SignedLinkCheck.Malformed, Check("..."));
    }

    [Fact]
    public void A_token_signed_for_one_tenant_is_refused_on_another_tenants_host()
    {
        var token = SignedLinkCodec.Sign(Payload, "new1", New);

        // Even if the other tenant held the very same key (it never does: keys are random), the payload names acme.
        Assert.Equal(SignedLinkCheck.OtherTenant, Check(token, "beta"));
    }

    [Fact]
    public void An_older_key_verifies_until_it_is_gone()
    {
        var token = SignedLinkCodec.Sign(Payload, "old1", Old);

        Assert.Equal(SignedLinkCheck.Valid, Check(token));
        Assert.Equal(SignedLinkCheck.UnknownKey, Check(token, keys: id => id == "new1" ? New : null));
    }

    [Fact]
    public void The_expiry_travels_in_whole_seconds()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);
        Assert.Equal(at, Verified(SignedLinkCodec.Sign(Payload with { ExpiresAt = at }, "new1", New))!.ExpiresAt);
    }

    [Fact]
    public void Round_trip_and_tamper_rejection_hold_for_any_payload()
    {
        var gen = Gen.Select(
            Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 63],
            Gen.String[Gen.Char.AlphaNumeric, 1, 2000],
            Gen.String[1, 128].Null(),
            Gen.Long[0, 253402300799].Nullable(),
            Gen.Int[0, 4000]);
        gen.Sample((tenant, path, campaign, expires, flip) =>
        {
            var payload = new SignedLinkPayload(tenant, "https://example.com/" + path, campaign, expires is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null);
            var token = SignedLinkCodec.Sign(payload, "new1", New);
            if (token.Length > SignedLinkCodec.MaxTokenLength
                || SignedLinkCodec.Verify(token, tenant, Keys, out var back) != SignedLinkCheck.Valid || back != payload)
            {
                return false;
            }

            // Any one character changed (to another base64url character) is refused.
            var at = flip % token.Length;
            var replaced = token[at] == 'A' ? 'B' : 'A';
            var tampered = string.Concat(token.AsSpan(0, at), replaced.ToString(), token.AsSpan(at + 1));
            return SignedLinkCodec.Verify(tampered, tenant, Keys, out _) != SignedLinkCheck.Valid;
        }, iter: 2000);
    }

    private static SignedLinkPayload? Verified(string token) =>
        SignedLinkCodec.Verify(token, "acme", Keys, out var payload) == SignedLinkCheck.Valid ? payload : null;
}
