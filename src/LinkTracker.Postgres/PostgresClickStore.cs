using System.Collections.Concurrent;
using LinkTracker.Core.Analytics;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Common;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracker.Postgres;

/// <summary>
/// Writes a batch with one binary COPY into a temp table, then one statement that inserts the new ids
/// (ON CONFLICT (id) DO NOTHING) and adds only those rows to first_seen and the hourly rollups.
/// </summary>
public sealed class PostgresClickStore(PostgresDatabases databases) : IClickStore
{
    private const string StageBatch = """
        CREATE TEMP TABLE click_staging (
            ord integer NOT NULL, id uuid NOT NULL, code text NOT NULL, recipient text, at timestamptz NOT NULL,
            user_agent text, referrer text, client_address text, flags integer NOT NULL, human boolean NOT NULL,
            reason text, device text, browser text, os text, country text, city text,
            b_country text NOT NULL, b_device text NOT NULL, b_browser text NOT NULL, b_os text NOT NULL,
            b_referrer text NOT NULL, b_reason text NOT NULL, campaign text
        ) ON COMMIT DROP
        """;

    private const string CopyBatch =
        """
        COPY pg_temp.click_staging (ord, id, code, recipient, at, user_agent, referrer, client_address, flags, human,
            reason, device, browser, os, country, city, b_country, b_device, b_browser, b_os, b_referrer, b_reason, campaign)
        FROM STDIN (FORMAT BINARY)
        """;

    // A signed link's campaign, kept by code (ADR 26) so that segments and click webhooks find it as they find a stored link's.
    private const string KeepSignedLinks = """
        INSERT INTO signed_links (code, campaign, first_at)
        SELECT DISTINCT ON (code) code, campaign, at FROM pg_temp.click_staging WHERE campaign IS NOT NULL ORDER BY code, ord
        ON CONFLICT (code) DO NOTHING
        """;

    // ord keeps the batch order: a recipient's first click in the batch is the one that counts as new, as in SQLite.
    // Rows are taken in key order so that concurrent writers of one tenant lock rows in the same order.
    private const string InsertBatch = """
        WITH batch AS (
            SELECT DISTINCT ON (id) * FROM pg_temp.click_staging ORDER BY id, ord
        ),
        inserted AS (
            INSERT INTO clicks (id, code, recipient, at, user_agent, referrer, client_address, flags, reason, device, browser, os, country, city)
            SELECT id, code, recipient, at, user_agent, referrer, client_address, flags, reason, device, browser, os, country, city
            FROM batch ORDER BY id
            ON CONFLICT (id) DO NOTHING
            RETURNING id
        ),
        counted AS (
            SELECT s.scope, b.ord, b.recipient, b.human, b.at, date_trunc('hour', b.at, 'UTC') AS hour,
                b.b_country, b.b_device, b.b_browser, b.b_os, b.b_referrer, b.b_reason
            FROM inserted
            JOIN batch AS b USING (id)
            LEFT JOIN links AS l ON l.code = b.code
            -- The scope keys of StatsScope.RollupKey: tenant, link, campaign (a signed link's click carries its own, ADR 26).
            CROSS JOIN LATERAL (VALUES ('*'), ('l:' || b.code), ('c:' || COALESCE(b.campaign, l.campaign))) AS s (scope)
            WHERE s.scope IS NOT NULL
        ),
        first_seen_now AS (
            INSERT INTO first_seen (scope, recipient, first_at)
            SELECT DISTINCT ON (scope, recipient) scope, recipient, at FROM counted
            WHERE human AND recipient IS NOT NULL
            ORDER BY scope, recipient, ord
            ON CONFLICT (scope, recipient) DO NOTHING
            RETURNING scope, first_at
        ),
        hourly AS (
            SELECT scope, hour, count(*) AS clicks, count(*) FILTER (WHERE human) AS human_clicks, 0 AS new_recipients
            FROM counted GROUP BY scope, hour
            UNION ALL
            SELECT scope, date_trunc('hour', first_at, 'UTC'), 0, 0, count(*) FROM first_seen_now GROUP BY 1, 2
        ),
        rolled_up AS (
            INSERT INTO rollup_hourly AS r (scope, hour, clicks, human_clicks, new_recipients)
            SELECT scope, hour, sum(clicks), sum(human_clicks), sum(new_recipients) FROM hourly
            GROUP BY scope, hour ORDER BY scope, hour
            ON CONFLICT (scope, hour) DO UPDATE SET
                clicks = r.clicks + excluded.clicks,
                human_clicks = r.human_clicks + excluded.human_clicks,
                new_recipients = r.new_recipients + excluded.new_recipients
        ),
        -- The dimension names and values of ClickBreakdown, computed by the writer.
        broken_down AS (
            INSERT INTO rollup_breakdown AS r (scope, dimension, hour, value, clicks, human_clicks)
            SELECT c.scope, d.dimension, c.hour, d.value, count(*), count(*) FILTER (WHERE c.human)
            FROM counted AS c
            CROSS JOIN LATERAL (VALUES ('country', c.b_country), ('device', c.b_device), ('browser', c.b_browser),
                ('os', c.b_os), ('referrer', c.b_referrer), ('reason', c.b_reason)) AS d (dimension, value)
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (scope, dimension, hour, value) DO UPDATE SET
                clicks = r.clicks + excluded.clicks,
                human_clicks = r.human_clicks + excluded.human_clicks
        )
        SELECT count(*)::integer FROM inserted
        """;

    /// <summary>
    /// The tenant schema version that added signed_links (0011), which the writer fills and segments and click webhooks
    /// read; one behind, signed clicks count in their campaign's rollups only.
    /// </summary>
    internal static readonly int SignedLinksVersion = PostgresMigrator.VersionOf("Tenant", "0011_signed_links.sql");

    // Clicks carry what the enrichment stage added from this schema version on; before it, the writer waits (ADR 17).
    internal static readonly int EnrichmentVersion = PostgresMigrator.VersionOf("Tenant", "0008_enrichment.sql");

    // The months that already have a partition, per tenant, so most batches skip ensure_click_partitions.
    private readonly ConcurrentDictionary<(string Tenant, DateTimeOffset Month), bool> _partitions = new();

    public async Task<ClickWriteResult> WriteAsync(string tenant, IReadOnlyList<Click> clicks, CancellationToken cancellationToken)
    {
        if (clicks.Count == 0)
        {
            return new ClickWriteResult(0, 0);
        }

        await EnsurePartitionsAsync(tenant, clicks, cancellationToken);

        await using var transaction = await databases.BeginTenantAsync(tenant, EnrichmentVersion, cancellationToken);
        await using (var stage = transaction.Command(StageBatch))
        {
            await stage.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var importer = await transaction.Connection.BeginBinaryImportAsync(CopyBatch, cancellationToken))
        {
            for (var i = 0; i < clicks.Count; i++)
            {
                var click = clicks[i];
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(click.Id, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(click.Code, NpgsqlDbType.Text, cancellationToken);
                await WriteTextAsync(importer, click.Recipient, cancellationToken);
                await importer.WriteAsync(click.At.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
                await WriteTextAsync(importer, click.UserAgent, cancellationToken);
                await WriteTextAsync(importer, click.Referrer, cancellationToken);
                await WriteTextAsync(importer, click.ClientAddress, cancellationToken);
                await importer.WriteAsync((int)click.Flags, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(click.IsHuman, NpgsqlDbType.Boolean, cancellationToken);
                await WriteTextAsync(importer, click.Reason, cancellationToken);
                await WriteTextAsync(importer, click.Device, cancellationToken);
                await WriteTextAsync(importer, click.Browser, cancellationToken);
                await WriteTextAsync(importer, click.Os, cancellationToken);
                await WriteTextAsync(importer, click.Country, cancellationToken);
                await WriteTextAsync(importer, click.City, cancellationToken);
                foreach (var dimension in ClickBreakdown.Dimensions)
                {
                    await importer.WriteAsync(ClickBreakdown.ValueOf(click, dimension), NpgsqlDbType.Text, cancellationToken);
                }

                await WriteTextAsync(importer, click.Campaign, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await using var insert = transaction.Command(InsertBatch);
        var inserted = (int)(await insert.ExecuteScalarAsync(cancellationToken))!;
        if (HasSignedCampaign(clicks) && await databases.HasVersionAsync(transaction, tenant, SignedLinksVersion, cancellationToken))
        {
            await using var keep = transaction.Command(KeepSignedLinks);
            await keep.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ClickWriteResult(inserted, clicks.Count - inserted);
    }

    public async Task<Page<Click>> ListAsync(string tenant, ClickQuery query, CancellationToken cancellationToken)
    {
        var after = query.After is null ? (Guid?)null : ParseCursor(query.After);
        await using var transaction = await databases.BeginTenantAsync(tenant, EnrichmentVersion, cancellationToken);
        await using var command = transaction.Command("""
            SELECT id, code, recipient, at, user_agent, referrer, client_address, flags, reason, device, browser, os, country, city
            FROM clicks
            WHERE code = $1 AND ($2::uuid IS NULL OR id < $2)
              AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
            ORDER BY id DESC
            LIMIT $5
            """);
        command.Parameters.Add(PostgresValues.Text(query.Code));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)after ?? DBNull.Value });
        command.Parameters.Add(PostgresValues.Time(query.From));
        command.Parameters.Add(PostgresValues.Time(query.To));
        command.Parameters.Add(PostgresValues.Of(query.Limit + 1));

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var clicks = new List<Click>();
        var more = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (clicks.Count == query.Limit)
            {
                more = true;
                break;
            }

            clicks.Add(new Click(
                reader.GetGuid(0),
                tenant,
                reader.GetString(1),
                reader.GetStringOrNull(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetStringOrNull(4),
                reader.GetStringOrNull(5),
                reader.GetStringOrNull(6),
                (ClickFlags)reader.GetInt32(7))
            {
                Reason = reader.GetStringOrNull(8),
                Device = reader.GetStringOrNull(9),
                Browser = reader.GetStringOrNull(10),
                Os = reader.GetStringOrNull(11),
                Country = reader.GetStringOrNull(12),
                City = reader.GetStringOrNull(13),
            });
        }

        // The same cursor as the SQLite store: the last id's 16 big-endian bytes in hex.
        return new Page<Click>(clicks, more ? Convert.ToHexString(clicks[^1].Id.ToByteArray(bigEndian: true)) : null);
    }

    private static Guid ParseCursor(string cursor)
    {
        try
        {
            var bytes = Convert.FromHexString(cursor);
            return bytes.Length == 16 ? new Guid(bytes, bigEndian: true) : throw new InvalidCursorException();
        }
        catch (FormatException)
        {
            throw new InvalidCursorException();
        }
    }

    private static bool HasSignedCampaign(IReadOnlyList<Click> clicks)
    {
        for (var i = 0; i < clicks.Count; i++)
        {
            if (clicks[i].Campaign is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    /// <summary>
    /// Creates the monthly partitions the batch needs, in a short transaction of its own: creating a partition
    /// locks the whole clicks table, which must not last for a write.
    /// </summary>
    private async Task EnsurePartitionsAsync(string tenant, IReadOnlyList<Click> clicks, CancellationToken cancellationToken)
    {
        List<DateTimeOffset>? missing = null;
        foreach (var click in clicks)
        {
            if (MonthOfId(click.Id) is { } month && !_partitions.ContainsKey((tenant, month)) && !(missing?.Contains(month) ?? false))
            {
                (missing ??= []).Add(month);
            }
        }

        if (missing is null)
        {
            return;
        }

        await using var transaction = await databases.BeginTenantAsync(tenant, cancellationToken);
        await using var command = transaction.Command("SELECT ensure_click_partitions($1)");
        command.Parameters.Add(PostgresValues.Of(missing.ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var month in missing)
        {
            _partitions[(tenant, month)] = true;
        }
    }

    /// <summary>The UTC month of a UUIDv7's timestamp (its first 48 bits), or null when they are no date.</summary>
    private static DateTimeOffset? MonthOfId(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        long ms = 0;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }

        if (ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return null;
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
