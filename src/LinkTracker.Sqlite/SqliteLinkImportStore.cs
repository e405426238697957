using LinkTracker.Core.Links;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

public sealed class SqliteLinkImportStore(SqliteDatabases databases) : ILinkImportStore
{
    private const long MsPerHour = 3_600_000;

    public async Task<IReadOnlyDictionary<string, ExistingCode>> FindCodesAsync(
        string tenant, IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var find = connection.Command("SELECT destination, campaign, deleted_at IS NOT NULL FROM links WHERE code = $code");
        var code = find.Parameters.Add("$code", SqliteType.Text);
        var found = new Dictionary<string, ExistingCode>(StringComparer.Ordinal);
        foreach (var c in codes)
        {
            code.Value = c;
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                found[c] = new ExistingCode(c, reader.GetString(0), reader.GetStringOrNull(1), reader.GetBoolean(2));
            }
        }

        return found;
    }

    public async Task<int> RecordAsync(string tenant, IReadOnlyList<ImportedLink> links, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var changes = new List<(ImportedLink?, ImportedLink)>();
        await using (var find = connection.Command(SelectRecord + " WHERE code = $code", transaction))
        {
            var code = find.Parameters.Add("$code", SqliteType.Text);
            // A code given twice: the second replaces the first, as two calls would.
            var latest = new Dictionary<string, ImportedLink?>(StringComparer.Ordinal);
            foreach (var link in links)
            {
                if (!latest.TryGetValue(link.Code, out var previous))
                {
                    code.Value = link.Code;
                    await using var reader = await find.ExecuteReaderAsync(cancellationToken);
                    previous = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
                }

                if (ImportLedger.Changes(previous, link))
                {
                    changes.Add((previous, link));
                }

                latest[link.Code] = link;
            }
        }

        await using (var upsert = connection.Command("""
            INSERT INTO imported_links (code, source, title, source_created_at, clicks, human_clicks, hour, campaign, imported_at)
            VALUES ($code, $source, $title, $created, $clicks, $human, $hour, $campaign, $at)
            ON CONFLICT (code) DO UPDATE SET source = excluded.source, title = excluded.title,
                source_created_at = excluded.source_created_at, clicks = excluded.clicks, human_clicks = excluded.human_clicks,
                hour = excluded.hour, campaign = excluded.campaign, imported_at = excluded.imported_at
            """, transaction))
        {
            foreach (var (_, link) in changes)
            {
                upsert.Parameters.Clear();
                upsert.Parameters.AddWithValue("$code", link.Code);
                upsert.Parameters.AddWithValue("$source", link.Source);
                upsert.Parameters.AddWithValue("$title", SqliteValues.ToDb(link.Title));
                upsert.Parameters.AddWithValue("$created", SqliteValues.ToDb(link.SourceCreatedAt));
                upsert.Parameters.AddWithValue("$clicks", link.Clicks);
                upsert.Parameters.AddWithValue("$human", link.HumanClicks);
                upsert.Parameters.AddWithValue("$hour", SqliteValues.ToUnixMs(link.Hour) / MsPerHour);
                upsert.Parameters.AddWithValue("$campaign", SqliteValues.ToDb(link.Campaign));
                upsert.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(at));
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var rollup = connection.Command("""
            INSERT INTO rollup_hourly (scope, hour, clicks, human_clicks, new_recipients)
            VALUES ($scope, $hour, $clicks, $human, 0)
            ON CONFLICT (scope, hour) DO UPDATE SET
                clicks = clicks + excluded.clicks,
                human_clicks = human_clicks + excluded.human_clicks
            """, transaction))
        {
            foreach (var ((scope, hour), (clicks, human)) in ImportLedger.RollupDeltas(changes))
            {
                rollup.Parameters.Clear();
                rollup.Parameters.AddWithValue("$scope", scope);
                rollup.Parameters.AddWithValue("$hour", SqliteValues.ToUnixMs(hour) / MsPerHour);
                rollup.Parameters.AddWithValue("$clicks", clicks);
                rollup.Parameters.AddWithValue("$human", human);
                await rollup.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return changes.Count;
    }

    public async Task<ImportedLink?> FindRecordAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var find = connection.Command(SelectRecord + " WHERE code = $code");
        find.Parameters.AddWithValue("$code", code);
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private const string SelectRecord =
        "SELECT code, source, title, source_created_at, clicks, human_clicks, hour, campaign FROM imported_links";

    private static ImportedLink Read(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetStringOrNull(2), reader.GetTimeOrNull(3),
        reader.GetInt64(4), reader.GetInt64(5), SqliteValues.FromUnixMs(reader.GetInt64(6) * MsPerHour), reader.GetStringOrNull(7));
}
