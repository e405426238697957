using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LinkTracker.Postgres;

/// <summary>
/// Schema and role names, built only from validated slugs and prefixes ([a-z0-9_]) and written into SQL as
/// quoted identifiers; names over PostgreSQL's 63 bytes end in a hash instead of being silently cut.
/// </summary>
internal static partial class PostgresNames
{
    public const string CatalogSchema = "catalog";

    private const int MaxIdentifierLength = 63;

    /// <summary>t_&lt;slug with - replaced by _&gt;; slugs have no '_', so no two slugs share a schema.</summary>
    public static string TenantSchema(string tenant) =>
        Identifier("t_" + ValidSlug(tenant).Replace('-', '_'));

    public static string TenantRole(string rolePrefix, string tenant) => Identifier(rolePrefix + TenantSchema(tenant));

    public static string ValidRolePrefix(string rolePrefix) =>
        RolePrefixPattern().IsMatch(rolePrefix)
            ? rolePrefix
            : throw new ArgumentException($"'{rolePrefix}' is not a role prefix: use up to 31 of a-z, 0-9 and _, not starting with a digit.", nameof(rolePrefix));

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string ValidSlug(string tenant) =>
        // Slugs are validated upstream; this keeps a bad one from ever reaching SQL.
        SlugPattern().IsMatch(tenant) ? tenant : throw new ArgumentException($"'{tenant}' is not a tenant slug.", nameof(tenant));

    private static string Identifier(string name)
    {
        if (name.Length <= MaxIdentifierLength)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return name[..(MaxIdentifierLength - hash.Length - 1)] + "_" + hash;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,30}$")]
    private static partial Regex RolePrefixPattern();
}
