using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LinkTracker.Reports;

/// <summary>
/// How a webhook receiver knows a delivery came from LinkTracker and was not replayed: the signature header is
/// "sha256=" + hex HMAC-SHA256, keyed with the tenant's webhook secret, of "&lt;timestamp&gt;.&lt;body&gt;"; the
/// timestamp header is Unix seconds. Receivers should refuse timestamps more than a few minutes old.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-LinkTracker-Signature";
    public const string TimestampHeader = "X-LinkTracker-Timestamp";
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: 256 random bits, base64url, with a prefix that makes it recognisable in a leak scan.</summary>
    public static string NewSecret() => SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>What a receiver does: recompute and compare in constant time.</summary>
    public static bool Verify(string secret, long timestamp, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
