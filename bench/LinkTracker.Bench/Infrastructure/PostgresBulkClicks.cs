using System.Diagnostics;
using LinkTracker.Core.Analytics;
using LinkTracker.Core.Clicks;
using LinkTracker.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracker.Bench.Infrastructure;

/// <summary>
/// Loads many clicks into an empty PostgreSQL tenant schema in one transaction, as the owner: one binary COPY into a
/// staging table (the columns of PostgresClickStore's click_staging), the monthly partitions through the schema's own
/// ensure_click_partitions, then clicks, first_seen, rollup_hourly and rollup_breakdown set-based with the writer's
/// SQL over the whole load instead of per batch (a recipient's first human click per scope in write order, hours by
/// date_trunc('hour', at, 'UTC'), breakdown values from <see cref="ClickBreakdown.ValueOf"/>). Checked against the
/// writer by <c>RollupTwins</c>. VACUUM (ANALYZE) at the end stands for what autovacuum does to written tables (it
/// vacuums insert-only tables too, since PostgreSQL 13: the visibility map that lets a segment read the recipient index alone).
/// </summary>
public static class PostgresBulkClicks
{
    private static readonly string[] Dimensions = [.. ClickBreakdown.Dimensions.Select(ClickBreakdown.Name)];

    // The writer's "counted" (PostgresClickStore.InsertBatch) over the staging table: one row per click and scope.
    private const string Counted = """
        counted AS (
            SELECT s.scope, b.*, date_trunc('hour', b.at, 'UTC') AS hour
            FROM pg_temp.bench_staging AS b
            LEFT JOIN links AS l ON l.code = b.code
            CROSS JOIN LATERAL (VALUES ('*'), ('l:' || b.code), ('c:' || l.campaign)) AS s (scope)
            WHERE s.scope IS NOT NULL
        )
        """;

    /// <remarks>Each step's time goes to <c>log</c> (progress on a long load).</remarks>
    /// <returns>Seconds for the COPY and the clicks' insert, and for the rollups (VACUUM and ANALYZE included).</returns>
    public static async Task<(double Clicks, double Rollups)> LoadAsync(
        string ownerConnectionString, string tenant, IEnumerable<Click> clicks, Action<string> log, CancellationToken cancellationToken)
    {
        var schema = PostgresDatabases.TenantSchema(tenant);
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(cancellationToken);
        // The schema name is the service's own naming of a bench slug, never input.
        await ExecuteAsync(connection, $"SET search_path = {schema}, pg_temp; SET work_mem = '256MB'; SET temp_buffers = '1GB'; SET maintenance_work_mem = '512MB'", cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM clicks", connection, transaction))
        {
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! != 0)
            {
                throw new InvalidOperationException($"{schema} already holds clicks: the bulk load builds rollups for an empty tenant only");
            }
        }

        var dimensionColumns = string.Join(", ", Dimensions.Select(d => "b_" + d + " text NOT NULL"));
        await ExecuteAsync(connection, $"""
            CREATE TEMP TABLE bench_staging (
                ord bigint NOT NULL, id uuid NOT NULL, code text NOT NULL, recipient text, at timestamptz NOT NULL,
                user_agent text, referrer text, client_address text, flags integer NOT NULL, human boolean NOT NULL,
                reason text, device text, browser text, os text, country text, city text, {dimensionColumns}
            ) ON COMMIT DROP
            """, cancellationToken);

        var started = Stopwatch.GetTimestamp();
        var copy = $"COPY pg_temp.bench_staging (ord, id, code, recipient, at, user_agent, referrer, client_address, flags, human, reason, device, browser, os, country, city, "
            + string.Join(", ", Dimensions.Select(d => "b_" + d)) + ") FROM STDIN (FORMAT BINARY)";
        await using (var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken))
        {
            long ord = 0;
            foreach (var click in clicks)
            {
                importer.StartRow();
                importer.Write(ord++, NpgsqlDbType.Bigint);
                importer.Write(click.Id, NpgsqlDbType.Uuid);
                importer.Write(click.Code, NpgsqlDbType.Text);
                Text(importer, click.Recipient);
                importer.Write(click.At.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                Text(importer, click.UserAgent);
                Text(importer, click.Referrer);
                Text(importer, click.ClientAddress);
                importer.Write((int)click.Flags, NpgsqlDbType.Integer);
                importer.Write(click.IsHuman, NpgsqlDbType.Boolean);
                Text(importer, click.Reason);
                Text(importer, click.Device);
                Text(importer, click.Browser);
                Text(importer, click.Os);
                Text(importer, click.Country);
                Text(importer, click.City);
                foreach (var dimension in ClickBreakdown.Dimensions)
                {
                    importer.Write(ClickBreakdown.ValueOf(click, dimension), NpgsqlDbType.Text);
                }
            }

            await importer.CompleteAsync(cancellationToken);
        }

        log($"COPY: {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");

        await ExecuteAsync(connection, """
            SELECT ensure_click_partitions(ARRAY(SELECT DISTINCT date_trunc('month', at, 'UTC') FROM pg_temp.bench_staging));
            INSERT INTO clicks (id, code, recipient, at, user_agent, referrer, client_address, flags, reason, device, browser, os, country, city)
            SELECT id, code, recipient, at, user_agent, referrer, client_address, flags, reason, device, browser, os, country, city
            FROM pg_temp.bench_staging ORDER BY id
            ON CONFLICT (id) DO NOTHING
            """, cancellationToken, log, "partitions and clicks");
        var clickSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        started = Stopwatch.GetTimestamp();
        await ExecuteAsync(connection, $"""
            WITH {Counted}
            INSERT INTO first_seen (scope, recipient, first_at)
            SELECT DISTINCT ON (scope, recipient) scope, recipient, at FROM counted
            WHERE human AND recipient IS NOT NULL
            ORDER BY scope, recipient, ord
            """, cancellationToken, log, "first_seen");
        await ExecuteAsync(connection, $"""
            WITH {Counted},
            hourly AS (
                SELECT scope, hour, count(*) AS clicks, count(*) FILTER (WHERE human) AS human_clicks, 0 AS new_recipients
                FROM counted GROUP BY scope, hour
                UNION ALL
                SELECT scope, date_trunc('hour', first_at, 'UTC'), 0, 0, count(*) FROM first_seen GROUP BY 1, 2
            )
            INSERT INTO rollup_hourly (scope, hour, clicks, human_clicks, new_recipients)
            SELECT scope, hour, sum(clicks), sum(human_clicks), sum(new_recipients) FROM hourly
            GROUP BY scope, hour ORDER BY scope, hour
            """, cancellationToken, log, "rollup_hourly");
        var values = string.Join(", ", Dimensions.Select(d => $"('{d}', c.b_{d})"));
        await ExecuteAsync(connection, $"""
            WITH {Counted}
            INSERT INTO rollup_breakdown (scope, dimension, hour, value, clicks, human_clicks)
            SELECT c.scope, d.dimension, c.hour, d.value, count(*), count(*) FILTER (WHERE c.human)
            FROM counted AS c
            CROSS JOIN LATERAL (VALUES {values}) AS d (dimension, value)
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            """, cancellationToken, log, "rollup_breakdown");
        await transaction.CommitAsync(cancellationToken);
        await ExecuteAsync(connection, "VACUUM (ANALYZE) clicks, first_seen, rollup_hourly, rollup_breakdown", cancellationToken, log, "VACUUM (ANALYZE)");
        return (clickSeconds, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static void Text(NpgsqlBinaryImporter importer, string? value)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, NpgsqlDbType.Text);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, Action<string>? log = null, string? step = null)
    {
        var started = Stopwatch.GetTimestamp();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
        log?.Invoke($"{step}: {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }
}
