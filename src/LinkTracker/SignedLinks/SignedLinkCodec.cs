using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace LinkTracker.SignedLinks;

/// <summary>
/// The signed token of a short URL, <c>&lt;payload&gt;.&lt;kid&gt;.&lt;mac&gt;</c> (ADR 26): the payload in a compact binary
/// form, base64url; the key id; the first 16 bytes of HMAC-SHA256 over "&lt;payload&gt;.&lt;kid&gt;", base64url. Compared in
/// constant time. Pure functions: keys come from the caller.
/// </summary>
public static class SignedLinkCodec
{
    /// <summary>A token longer than this is refused before any decoding (a 2,048-character destination fits with room).</summary>
    public const int MaxTokenLength = 4096;

    public const int MacBytes = 16;

    private const byte Version = 1;
    private const byte HasCampaign = 1;
    private const byte HasExpiry = 2;
    private const int MaxKeyIdLength = 16;
    private static readonly System.Buffers.SearchValues<char> KeyIdChars = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");

    /// <summary>The token of <paramref name="payload"/> signed with key <paramref name="keyId"/>.</summary>
    public static string Sign(SignedLinkPayload payload, string keyId, ReadOnlySpan<byte> key)
    {
        var body = Base64Url.EncodeToString(Encode(payload)) + "." + keyId;
        return body + "." + Base64Url.EncodeToString(Mac(key, body));
    }

    /// <summary>The code a signed link's clicks are recorded under: "s-" and 12 characters of its signature, the same for the same token.</summary>
    public static string CodeOf(string token)
    {
        var dot = token.LastIndexOf('.');
        Span<byte> mac = stackalloc byte[MacBytes];
        return dot >= 0 && Base64Url.IsValid(token.AsSpan(dot + 1)) && Base64Url.TryDecodeFromChars(token.AsSpan(dot + 1), mac, out var written) && written == MacBytes
            ? "s-" + Base64Url.EncodeToString(mac[..9])
            : throw new ArgumentException("Not a signed link token.", nameof(token));
    }

    /// <summary>A key id: 1 to 16 characters of [a-z0-9].</summary>
    public static bool IsKeyId(ReadOnlySpan<char> id) =>
        id.Length is > 0 and <= MaxKeyIdLength && !id.ContainsAnyExcept(KeyIdChars);

    /// <summary>Checks <paramref name="token"/> on the host of <paramref name="tenant"/>, whose keys <paramref name="keys"/> finds by id.</summary>
    public static SignedLinkCheck Verify(string token, string tenant, Func<string, byte[]?> keys, out SignedLinkPayload? payload)
    {
        payload = null;
        if (token.Length > MaxTokenLength)
        {
            return SignedLinkCheck.Malformed;
        }

        var first = token.IndexOf('.');
        var last = token.LastIndexOf('.');
        if (first <= 0 || last <= first + 1 || last == token.Length - 1 || !IsKeyId(token.AsSpan(first + 1, last - first - 1)))
        {
            return SignedLinkCheck.Malformed;
        }

        Span<byte> given = stackalloc byte[MacBytes + 3];
        if (!Base64Url.IsValid(token.AsSpan(last + 1)) || !Base64Url.TryDecodeFromChars(token.AsSpan(last + 1), given, out var written) || written != MacBytes)
        {
            return SignedLinkCheck.Malformed;
        }

        if (keys(token[(first + 1)..last]) is not { } key)
        {
            return SignedLinkCheck.UnknownKey;
        }

        // Compared as text: a non-canonical encoding of the right bytes (other unused bits) is another token, refused.
        if (!CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Base64Url.EncodeToString(Mac(key, token.AsSpan(0, last)))), Encoding.ASCII.GetBytes(token[(last + 1)..])))
        {
            return SignedLinkCheck.BadSignature;
        }

        // Signed by this tenant's key, so only a bug would make these fail; checked all the same.
        if (Decode(token.AsSpan(0, first)) is not { } decoded)
        {
            return SignedLinkCheck.Malformed;
        }

        if (!string.Equals(decoded.Tenant, tenant, StringComparison.OrdinalIgnoreCase))
        {
            return SignedLinkCheck.OtherTenant;
        }

        payload = decoded;
        return SignedLinkCheck.Valid;
    }

    private static byte[] Mac(ReadOnlySpan<byte> key, ReadOnlySpan<char> body)
    {
        Span<byte> ascii = body.Length <= 1024 ? stackalloc byte[body.Length] : new byte[body.Length];
        var length = Encoding.ASCII.GetBytes(body, ascii);
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, ascii[..length], full);
        return full[..MacBytes].ToArray();
    }

    private static byte[] Encode(SignedLinkPayload payload)
    {
        var tenant = Encoding.UTF8.GetBytes(payload.Tenant);
        var campaign = payload.Campaign is null ? [] : Encoding.UTF8.GetBytes(payload.Campaign);
        var destination = Encoding.UTF8.GetBytes(payload.Destination);
        if (tenant.Length > byte.MaxValue || campaign.Length > ushort.MaxValue)
        {
            throw new ArgumentException("Tenant or campaign too long to sign.", nameof(payload));
        }

        var flags = (byte)((payload.Campaign is null ? 0 : HasCampaign) | (payload.ExpiresAt is null ? 0 : HasExpiry));
        var buffer = new byte[2 + (payload.ExpiresAt is null ? 0 : 8) + 1 + tenant.Length + (payload.Campaign is null ? 0 : 2 + campaign.Length) + destination.Length];
        var span = buffer.AsSpan();
        span[0] = Version;
        span[1] = flags;
        var at = 2;
        if (payload.ExpiresAt is { } expires)
        {
            BinaryPrimitives.WriteInt64BigEndian(span[at..], expires.ToUnixTimeSeconds());
            at += 8;
        }

        span[at++] = (byte)tenant.Length;
        tenant.CopyTo(span[at..]);
        at += tenant.Length;
        if (payload.Campaign is not null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)campaign.Length);
            at += 2;
            campaign.CopyTo(span[at..]);
            at += campaign.Length;
        }

        destination.CopyTo(span[at..]);
        return buffer;
    }

    private static SignedLinkPayload? Decode(ReadOnlySpan<char> encoded)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(encoded);
        }
        catch (FormatException)
        {
            return null;
        }

        var span = bytes.AsSpan();
        if (span.Length < 3 || span[0] != Version || (span[1] & ~(HasCampaign | HasExpiry)) != 0)
        {
            return null;
        }

        var flags = span[1];
        span = span[2..];
        DateTimeOffset? expires = null;
        if ((flags & HasExpiry) != 0)
        {
            if (span.Length < 8 || BinaryPrimitives.ReadInt64BigEndian(span) is not (>= 0 and <= 253402300799))
            {
                return null;
            }

            expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(span));
            span = span[8..];
        }

        if (span.Length < 1 || span.Length < 1 + span[0])
        {
            return null;
        }

        var tenant = Encoding.UTF8.GetString(span.Slice(1, span[0]));
        span = span[(1 + span[0])..];
        string? campaign = null;
        if ((flags & HasCampaign) != 0)
        {
            if (span.Length < 2 || span.Length < 2 + BinaryPrimitives.ReadUInt16BigEndian(span))
            {
                return null;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(span);
            campaign = Encoding.UTF8.GetString(span.Slice(2, length));
            span = span[(2 + length)..];
        }

        return span.IsEmpty ? null : new SignedLinkPayload(tenant, Encoding.UTF8.GetString(span), campaign, expires);
    }
}
