using System.Buffers;
using System.Collections.Frozen;
using System.Security.Cryptography;

namespace LinkTracker.Links;

/// <summary>Link codes: generated ones are 7 random base62 characters (62^7 ≈ 3.5e12); custom ones [A-Za-z0-9_-]{1,64}.</summary>
public static class LinkCodes
{
    public const int GeneratedLength = 7;
    public const int MaxLength = 64;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly SearchValues<char> Allowed = SearchValues.Create(Base62 + "_-");

    /// <summary>Paths the service itself answers; a link with such a code could never be reached.</summary>
    private static readonly FrozenSet<string> Reserved = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "api", "health", "metrics", "openapi", "ops", "dashboard", "favicon", "robots");

    public static string Generate() => RandomNumberGenerator.GetString(Base62, GeneratedLength);

    /// <summary>Whether a path segment could be a code at all; anything else is a 404 without a lookup.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> code) =>
        code.Length is > 0 and <= MaxLength && !code.ContainsAnyExcept(Allowed);

    /// <returns>Why a custom code is not acceptable, or null when it is.</returns>
    public static string? Validate(string code)
    {
        if (!IsWellFormed(code))
        {
            return $"A code has 1 to {MaxLength} characters among A-Z, a-z, 0-9, '_' and '-'.";
        }

        return Reserved.Contains(code) ? $"'{code}' is reserved by the service; choose another code." : null;
    }
}
