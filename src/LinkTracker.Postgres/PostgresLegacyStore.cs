using LinkTracker.Core.Clicks;
using LinkTracker.Core.Legacy;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracker.Postgres;

/// <summary>Legacy settings, learned links and the migration view's counts in the tenant's schema (0004_legacy.sql).</summary>
public sealed class PostgresLegacyStore(PostgresDatabases databases) : ILegacyStore
{
    private const string Source = "legacy";

    /// <summary>The tenant schema version that added the legacy table and columns; a tenant still below gets a clear 503.</summary>
    private static readonly int LegacyVersion = PostgresMigrator.Scripts("Tenant")
        .ToList().FindIndex(s => s.EndsWith(".0004_legacy.sql", StringComparison.Ordinal)) + 1;

    /// <summary>The tenant schema version that added the not-found and gone pages to the settings (0010); one behind keeps its fallback.</summary>
    private static readonly int PagesVersion = PostgresMigrator.VersionOf("Tenant", "0010_link_features.sql");

    public async Task<LegacySettings?> GetSettingsAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, LegacyVersion, cancellationToken);
        await using var command = transaction.Command(await databases.HasVersionAsync(transaction, tenant, PagesVersion, cancellationToken)
            ? "SELECT base_url, updated_at, not_found_url, gone_url FROM legacy_settings WHERE id = 1"
            : "SELECT base_url, updated_at, NULL::text, NULL::text FROM legacy_settings WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new LegacySettings(reader.GetStringOrNull(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetStringOrNull(2), reader.GetStringOrNull(3))
            : null;
    }

    public async Task SaveSettingsAsync(string tenant, LegacySettings settings, CancellationToken cancellationToken)
    {
        // Pages need the schema that stores them (else the PUT says to migrate); without them, one version behind is fine.
        var pages = settings.NotFoundUrl is not null || settings.GoneUrl is not null;
        await using var transaction = await databases.BeginTenantAsync(tenant, pages ? PagesVersion : LegacyVersion, cancellationToken);
        pages = pages || await databases.HasVersionAsync(transaction, tenant, PagesVersion, cancellationToken);
        await using var command = transaction.Command(pages
            ? """
              INSERT INTO legacy_settings (id, base_url, updated_at, not_found_url, gone_url) VALUES (1, $1, $2, $3, $4)
              ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url, updated_at = excluded.updated_at,
                                             not_found_url = excluded.not_found_url, gone_url = excluded.gone_url
              """
            : """
              INSERT INTO legacy_settings (id, base_url, updated_at) VALUES (1, $1, $2)
              ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url, updated_at = excluded.updated_at
              """);
        command.Parameters.Add(PostgresValues.Text(settings.BaseUrl));
        command.Parameters.Add(PostgresValues.Time(settings.UpdatedAt));
        if (pages)
        {
            command.Parameters.Add(PostgresValues.Text(settings.NotFoundUrl));
            command.Parameters.Add(PostgresValues.Text(settings.GoneUrl));
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> LearnAsync(string tenant, LearnedLink link, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, LegacyVersion, cancellationToken);
        await using var command = transaction.Command("""
            INSERT INTO links (code, destination, created_at, updated_at, source, legacy_status)
            VALUES ($1, $2, $3, $3, $4, $5)
            ON CONFLICT (code) DO NOTHING
            """);
        command.Parameters.Add(PostgresValues.Text(link.Code));
        command.Parameters.Add(PostgresValues.Text(link.Destination));
        command.Parameters.Add(PostgresValues.Time(link.LearnedAt));
        command.Parameters.Add(PostgresValues.Text(Source));
        command.Parameters.Add(PostgresValues.Of(link.LegacyStatus));
        var added = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    public async Task<LegacyCounts> CountAsync(string tenant, DateTimeOffset from, DateTimeOffset to, int legacyFlag, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, LegacyVersion, cancellationToken);
        await using var command = RangeCommand(transaction, """
            SELECT count(*) FILTER (WHERE flags & $3 = 0), count(*) FILTER (WHERE flags & $3 <> 0),
                   (SELECT count(*) FROM links WHERE source = $4 AND created_at >= $5 AND created_at < $6)
            FROM clicks WHERE id >= $1 AND id < $2
            """, from, to, legacyFlag);
        command.Parameters.Add(PostgresValues.Text(Source));
        command.Parameters.Add(PostgresValues.Time(from));
        command.Parameters.Add(PostgresValues.Time(to));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new LegacyCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    public async Task<IReadOnlyList<LegacyCodeCount>> TopCodesAsync(
        string tenant, DateTimeOffset from, DateTimeOffset to, int legacyFlag, int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, LegacyVersion, cancellationToken);
        await using var command = RangeCommand(transaction, """
            SELECT c.code, count(*) AS n, count(*) FILTER (WHERE c.flags & $3 <> 0)
            FROM clicks c LEFT JOIN links l ON l.code = c.code
            WHERE c.id >= $1 AND c.id < $2 AND (c.flags & $3 <> 0 OR l.source = $4)
            GROUP BY c.code ORDER BY n DESC, c.code LIMIT $5
            """, from, to, legacyFlag);
        command.Parameters.Add(PostgresValues.Text(Source));
        command.Parameters.Add(PostgresValues.Of(limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var codes = new List<LegacyCodeCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            codes.Add(new LegacyCodeCount(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return codes;
    }

    private static NpgsqlCommand RangeCommand(PostgresTenantTransaction transaction, string sql, DateTimeOffset from, DateTimeOffset to, int legacyFlag)
    {
        var command = transaction.Command(sql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = ClickIdBounds.SmallestAt(from) });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = ClickIdBounds.SmallestAt(to) });
        command.Parameters.Add(PostgresValues.Of(legacyFlag));
        return command;
    }
}
