using LinkTracker.Core.Legacy;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>Legacy settings, learned links and the migration view's counts in the tenant's own database (0004_legacy.sql).</summary>
public sealed class SqliteLegacyStore(SqliteDatabases databases) : ILegacyStore
{
    private const string Source = "legacy";

    public async Task<LegacySettings?> GetSettingsAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("SELECT base_url, updated_at, not_found_url, gone_url FROM legacy_settings WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new LegacySettings(reader.GetStringOrNull(0), SqliteValues.FromUnixMs(reader.GetInt64(1)), reader.GetStringOrNull(2), reader.GetStringOrNull(3))
            : null;
    }

    public async Task SaveSettingsAsync(string tenant, LegacySettings settings, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            INSERT INTO legacy_settings (id, base_url, updated_at, not_found_url, gone_url) VALUES (1, $url, $at, $notFound, $gone)
            ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url, updated_at = excluded.updated_at,
                                           not_found_url = excluded.not_found_url, gone_url = excluded.gone_url
            """);
        command.Parameters.AddWithValue("$url", SqliteValues.ToDb(settings.BaseUrl));
        command.Parameters.AddWithValue("$notFound", SqliteValues.ToDb(settings.NotFoundUrl));
        command.Parameters.AddWithValue("$gone", SqliteValues.ToDb(settings.GoneUrl));
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(settings.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> LearnAsync(string tenant, LearnedLink link, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            INSERT INTO links (code, destination, created_at, updated_at, source, legacy_status)
            VALUES ($code, $destination, $at, $at, $source, $status)
            ON CONFLICT (code) DO NOTHING
            """);
        command.Parameters.AddWithValue("$code", link.Code);
        command.Parameters.AddWithValue("$destination", link.Destination);
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(link.LearnedAt));
        command.Parameters.AddWithValue("$source", Source);
        command.Parameters.AddWithValue("$status", link.LegacyStatus);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<LegacyCounts> CountAsync(string tenant, DateTimeOffset from, DateTimeOffset to, int legacyFlag, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var clicks = RangeCommand(connection, transaction, """
            SELECT count(*) FILTER (WHERE flags & $flag = 0), count(*) FILTER (WHERE flags & $flag <> 0)
            FROM clicks WHERE id >= $from AND id < $to
            """, from, to, legacyFlag);
        await using var reader = await clicks.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (local, legacy) = (reader.GetInt64(0), reader.GetInt64(1));

        await using var learned = connection.Command(
            "SELECT count(*) FROM links WHERE source = $source AND created_at >= $from AND created_at < $to", transaction);
        learned.Parameters.AddWithValue("$source", Source);
        learned.Parameters.AddWithValue("$from", SqliteValues.ToUnixMs(from));
        learned.Parameters.AddWithValue("$to", SqliteValues.ToUnixMs(to));
        return new LegacyCounts(local, legacy, Convert.ToInt64(await learned.ExecuteScalarAsync(cancellationToken)));
    }

    public async Task<IReadOnlyList<LegacyCodeCount>> TopCodesAsync(
        string tenant, DateTimeOffset from, DateTimeOffset to, int legacyFlag, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = RangeCommand(connection, null, """
            SELECT c.code, count(*) AS n, count(*) FILTER (WHERE c.flags & $flag <> 0)
            FROM clicks c LEFT JOIN links l ON l.code = c.code
            WHERE c.id >= $from AND c.id < $to AND (c.flags & $flag <> 0 OR l.source = $source)
            GROUP BY c.code ORDER BY n DESC, c.code LIMIT $limit
            """, from, to, legacyFlag);
        command.Parameters.AddWithValue("$source", Source);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var codes = new List<LegacyCodeCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            codes.Add(new LegacyCodeCount(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return codes;
    }

    private static SqliteCommand RangeCommand(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, DateTimeOffset from, DateTimeOffset to, int legacyFlag)
    {
        var command = connection.Command(sql, transaction);
        command.Parameters.AddWithValue("$from", SqliteClickRetention.SmallestIdAt(from));
        command.Parameters.AddWithValue("$to", SqliteClickRetention.SmallestIdAt(to));
        command.Parameters.AddWithValue("$flag", legacyFlag);
        return command;
    }
}
