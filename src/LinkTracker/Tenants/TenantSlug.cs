using System.Buffers;
using System.Collections.Frozen;

namespace LinkTracker.Tenants;

/// <summary>The rules for a tenant slug, the first label of its host name.</summary>
public static class TenantSlug
{
    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    private static readonly FrozenSet<string> Reserved = FrozenSet.Create(
        StringComparer.Ordinal,
        "www", "api", "admin", "app", "assets", "cdn", "dashboard", "docs", "health", "help", "internal",
        "linktracker", "localhost", "mail", "metrics", "ops", "root", "static", "status", "support", "system");

    /// <returns>Why the slug is not acceptable, or null when it is.</returns>
    public static string? Validate(string? slug)
    {
        if (string.IsNullOrEmpty(slug) || slug.Length is < 3 or > 63)
        {
            return "A tenant slug has 3 to 63 characters.";
        }

        if (slug.AsSpan().ContainsAnyExcept(Allowed))
        {
            return "A tenant slug has only lowercase letters, digits and hyphens.";
        }

        if (slug[0] == '-' || slug[^1] == '-')
        {
            return "A tenant slug neither starts nor ends with a hyphen.";
        }

        return Reserved.Contains(slug) ? $"'{slug}' is reserved; choose another slug." : null;
    }
}
