using System.Net;
using System.Security.Cryptography;
using System.Text;
using LinkTracker.Reports;

namespace LinkTracker.Tests.Reports;

public class WebhookSignatureTests
{
    [Fact]
    public void The_signature_is_hex_hmac_sha256_of_timestamp_dot_body()
    {
        var body = Encoding.UTF8.GetBytes("{\"event\":\"report.daily\"}");
        var expected = "sha256=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes("whsec_test"), Encoding.UTF8.GetBytes("1764200000.{\"event\":\"report.daily\"}")));

        Assert.Equal(expected, WebhookSignature.Sign("whsec_test", 1764200000, body));
    }

    [Fact]
    public void Verification_fails_for_another_secret_timestamp_or_body()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var signature = WebhookSignature.Sign("whsec_a", 100, body);

        Assert.True(WebhookSignature.Verify("whsec_a", 100, body, signature));
        Assert.False(WebhookSignature.Verify("whsec_b", 100, body, signature));
        Assert.False(WebhookSignature.Verify("whsec_a", 101, body, signature));
        Assert.False(WebhookSignature.Verify("whsec_a", 100, Encoding.UTF8.GetBytes("{ }"), signature));
        Assert.False(WebhookSignature.Verify("whsec_a", 100, body, null));
    }

    [Fact]
    public void Secrets_are_random_and_prefixed()
    {
        var one = WebhookSignature.NewSecret();

        Assert.StartsWith(WebhookSignature.SecretPrefix, one, StringComparison.Ordinal);
        Assert.Equal(6 + 43, one.Length);
        Assert.NotEqual(one, WebhookSignature.NewSecret());
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("192.0.2.2", true)] // documentation ranges and the rest of the IANA special-purpose registries
    [InlineData("198.51.100.7", true)]
    [InlineData("203.0.113.9", true)]
    [InlineData("198.18.0.1", true)]
    [InlineData("192.0.0.170", true)]
    [InlineData("240.0.0.1", true)]
    [InlineData("224.0.0.251", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("64:ff9b::a00:1", true)]
    [InlineData("2002:a00:1::1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("::", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:4700::1111", false)]
    public void Private_addresses_are_told_from_public_ones(string address, bool isPrivate)
    {
        Assert.Equal(isPrivate, WebhookTargets.IsPrivate(IPAddress.Parse(address)));
    }
}
