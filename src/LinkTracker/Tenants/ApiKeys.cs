using System.Buffers;
using System.Security.Cryptography;

namespace LinkTracker.Tenants;

/// <summary>
/// API keys look like lt_&lt;16 hex id&gt;&lt;64 hex secret&gt;: the id finds the stored key, the 256-bit secret
/// is checked by the catalog against its stored SHA-256 (SQLite in constant time, PostgreSQL through catalog.find_api_key).
/// The secret itself is never stored.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "lt_";
    private const int IdChars = 16;
    private const int SecretChars = 64;
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static (string Id, string Token, byte[] SecretHash) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdChars / 2));
        var secret = RandomNumberGenerator.GetBytes(SecretChars / 2);
        return (id, Prefix + id + Convert.ToHexStringLower(secret), SHA256.HashData(secret));
    }

    /// <returns>The key id and secret, or false when the token is not shaped like a key.</returns>
    public static bool TryParse(ReadOnlySpan<char> token, out string id, out byte[] secret)
    {
        id = string.Empty;
        secret = [];
        if (token.Length != Prefix.Length + IdChars + SecretChars || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var idPart = token.Slice(Prefix.Length, IdChars);
        var secretPart = token[(Prefix.Length + IdChars)..];
        if (!IsLowerHex(idPart) || !IsLowerHex(secretPart))
        {
            return false;
        }

        id = idPart.ToString();
        secret = Convert.FromHexString(secretPart);
        return true;
    }

    /// <summary>What the catalog stores, and what it is asked to match: the secret's SHA-256.</summary>
    public static byte[] Hash(byte[] secret) => SHA256.HashData(secret);

    public static bool Matches(byte[] secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(secret), storedHash);

    private static bool IsLowerHex(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(LowerHex);
}
