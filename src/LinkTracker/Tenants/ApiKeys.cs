using System.Buffers;
using System.Security.Cryptography;

namespace LinkTracker.Tenants;

/// <summary>
/// API keys look like lt_&lt;64 hex secret&gt;; the catalog stores only the secret's SHA-256 and finds a key by it
/// (SQLite through a unique index, PostgreSQL through catalog.find_api_key). A key's id (key_&lt;16 hex&gt;) is
/// random and separate from the token: shown in lists and used to revoke, it tells nothing about the secret.
/// Keys of earlier releases (lt_&lt;16 hex id&gt;&lt;64 hex secret&gt;) still authenticate by their secret part.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "lt_";
    public const string IdPrefix = "key_";
    private const int IdChars = 16;
    private const int SecretChars = 64;
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static (string Id, string Token, byte[] SecretHash) Generate()
    {
        var secret = RandomNumberGenerator.GetBytes(SecretChars / 2);
        return (NewId(), Prefix + Convert.ToHexStringLower(secret), SHA256.HashData(secret));
    }

    /// <summary>An opaque key id; also what `linktracker migrate` gives the keys of earlier releases.</summary>
    public static string NewId() => IdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdChars / 2));

    /// <returns>false when the token is not shaped like a key.</returns>
    /// <param name="token">What the caller sent after "Bearer ".</param>
    /// <param name="secretHash">The SHA-256 of the token's secret, what the catalog is asked to match.</param>
    /// <param name="legacyId">The id a key of an earlier release carries in its token (null for current keys); only a
    /// catalog not yet migrated (a rolling upgrade) needs it.</param>
    public static bool TryParse(ReadOnlySpan<char> token, out byte[] secretHash, out string? legacyId)
    {
        secretHash = [];
        legacyId = null;
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var body = token[Prefix.Length..];
        if (body.Length == IdChars + SecretChars && IsLowerHex(body))
        {
            legacyId = body[..IdChars].ToString();
            body = body[IdChars..];
        }
        else if (body.Length != SecretChars || !IsLowerHex(body))
        {
            return false;
        }

        secretHash = SHA256.HashData(Convert.FromHexString(body));
        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(LowerHex);
}
