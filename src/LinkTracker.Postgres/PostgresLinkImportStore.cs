using LinkTracker.Core.Links;
using Npgsql;

namespace LinkTracker.Postgres;

public sealed class PostgresLinkImportStore(PostgresDatabases databases) : ILinkImportStore
{
    private const string SelectRecord =
        "SELECT code, source, title, source_created_at, clicks, human_clicks, hour, campaign FROM imported_links";

    /// <summary>The tenant schema version that added imported_links (a tenant one version behind is served without imports).</summary>
    private static readonly int ImportsVersion =
        PostgresMigrator.Scripts("Tenant").ToList().FindIndex(s => s.EndsWith("_imports.sql", StringComparison.Ordinal)) + 1;

    public async Task<IReadOnlyDictionary<string, ExistingCode>> FindCodesAsync(
        string tenant, IReadOnlyCollection<string> codes, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, cancellationToken);
        await using var command = transaction.Command(
            "SELECT code, destination, campaign, deleted_at IS NOT NULL FROM links WHERE code = ANY($1)");
        command.Parameters.Add(PostgresValues.Of(codes.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new Dictionary<string, ExistingCode>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var code = reader.GetString(0);
            found[code] = new ExistingCode(code, reader.GetString(1), reader.GetStringOrNull(2), reader.GetBoolean(3));
        }

        return found;
    }

    public async Task<int> RecordAsync(string tenant, IReadOnlyList<ImportedLink> links, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (links.Count == 0)
        {
            return 0;
        }

        await using var transaction = await databases.BeginTenantAsync(tenant, ImportsVersion, cancellationToken);
        var previous = new Dictionary<string, ImportedLink>(StringComparer.Ordinal);
        await using (var find = transaction.Command(SelectRecord + " WHERE code = ANY($1) ORDER BY code FOR UPDATE"))
        {
            find.Parameters.Add(PostgresValues.Of(links.Select(l => l.Code).Distinct().ToArray()));
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var link = Read(reader);
                previous[link.Code] = link;
            }
        }

        var changes = new List<(ImportedLink?, ImportedLink)>();
        foreach (var link in links)
        {
            var before = previous.GetValueOrDefault(link.Code);
            if (ImportLedger.Changes(before, link))
            {
                changes.Add((before, link));
            }

            previous[link.Code] = link; // a code given twice: the second replaces the first, as two calls would
        }

        if (changes.Count == 0)
        {
            return 0;
        }

        await using var batch = new NpgsqlBatch(transaction.Connection, transaction.Transaction);
        foreach (var (_, link) in changes)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO imported_links (code, source, title, source_created_at, clicks, human_clicks, hour, campaign, imported_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (code) DO UPDATE SET source = excluded.source, title = excluded.title,
                    source_created_at = excluded.source_created_at, clicks = excluded.clicks, human_clicks = excluded.human_clicks,
                    hour = excluded.hour, campaign = excluded.campaign, imported_at = excluded.imported_at
                """)
            {
                Parameters =
                {
                    PostgresValues.Text(link.Code), PostgresValues.Text(link.Source), PostgresValues.Text(link.Title),
                    PostgresValues.Time(link.SourceCreatedAt), PostgresValues.Of(link.Clicks), PostgresValues.Of(link.HumanClicks),
                    PostgresValues.Time(link.Hour), PostgresValues.Text(link.Campaign), PostgresValues.Time(at),
                },
            });
        }

        // In key order, as the click writer does, so the two never wait on each other in a cycle.
        foreach (var ((scope, hour), (clicks, human)) in ImportLedger.RollupDeltas(changes).OrderBy(d => d.Key.Scope, StringComparer.Ordinal).ThenBy(d => d.Key.Hour))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO rollup_hourly AS r (scope, hour, clicks, human_clicks, new_recipients) VALUES ($1, $2, $3, $4, 0)
                ON CONFLICT (scope, hour) DO UPDATE SET clicks = r.clicks + excluded.clicks, human_clicks = r.human_clicks + excluded.human_clicks
                """)
            {
                Parameters = { PostgresValues.Text(scope), PostgresValues.Time(hour), PostgresValues.Of(clicks), PostgresValues.Of(human) },
            });
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changes.Count;
    }

    public async Task<ImportedLink?> FindRecordAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, ImportsVersion, cancellationToken);
        await using var find = transaction.Command(SelectRecord + " WHERE code = $1");
        find.Parameters.Add(PostgresValues.Text(code));
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static ImportedLink Read(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetStringOrNull(2), reader.GetTimeOrNull(3),
        reader.GetInt64(4), reader.GetInt64(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetStringOrNull(7));
}
