using System.Diagnostics;
using LinkTracker.Core.Analytics;
using LinkTracker.Core.Clicks;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Bench.Infrastructure;

/// <summary>
/// Loads many clicks into a stopped, empty SQLite tenant in one transaction: the clicks with one prepared INSERT, then
/// first_seen, rollup_hourly and rollup_breakdown built set-based from a staging table, to the rows SqliteClickStore
/// would have left (same scopes, a recipient's first human click per scope in write order, hours as unix ms / 3,600,000,
/// breakdown values from <see cref="ClickBreakdown.ValueOf"/>). Checked against the writer by <c>RollupTwins</c>.
/// </summary>
public static class SqliteBulkClicks
{
    private static readonly string[] Dimensions = [.. ClickBreakdown.Dimensions.Select(ClickBreakdown.Name)];

    // The scopes of StatsScope.RollupKey: tenant, link, campaign (a link without a campaign has no campaign scope).
    private const string Counted = """
        counted AS (
            SELECT '*' AS scope, b.* FROM bench_staging AS b
            UNION ALL SELECT 'l:' || b.code, b.* FROM bench_staging AS b
            UNION ALL SELECT 'c:' || l.campaign, b.* FROM bench_staging AS b JOIN links AS l ON l.code = b.code WHERE l.campaign IS NOT NULL
        )
        """;

    /// <remarks>Each step's time goes to <c>log</c> (progress on a long load).</remarks>
    /// <returns>Seconds for the clicks, and for the rollups.</returns>
    public static async Task<(double Clicks, double Rollups)> LoadAsync(string databasePath, IEnumerable<Click> clicks, Action<string> log, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        await using var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA cache_size = -524288; PRAGMA temp_store = FILE;", cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await ScalarAsync(connection, transaction, "SELECT count(*) FROM clicks", cancellationToken) != 0)
        {
            throw new InvalidOperationException($"{databasePath} already holds clicks: the bulk load builds rollups for an empty tenant only");
        }

        var dimensionColumns = string.Join(", ", Dimensions.Select(d => "b_" + d + " TEXT NOT NULL"));
        await ExecuteAsync(connection, transaction,
            $"CREATE TEMP TABLE bench_staging (ord INTEGER PRIMARY KEY, code TEXT NOT NULL, recipient TEXT, at INTEGER NOT NULL, human INTEGER NOT NULL, {dimensionColumns})",
            cancellationToken);

        var started = Stopwatch.GetTimestamp();
        await using (var insert = connection.CreateCommand())
        await using (var stage = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO clicks (id, code, recipient, at, user_agent, referrer, client_address, flags, reason, device, browser, os, country, city)
                VALUES ($id, $code, $recipient, $at, $ua, $referrer, $address, $flags, $reason, $device, $browser, $os, $country, $city)
                ON CONFLICT (id) DO NOTHING
                """;
            var p = Parameters(insert, "$id", "$code", "$recipient", "$at", "$ua", "$referrer", "$address", "$flags", "$reason", "$device", "$browser", "$os", "$country", "$city");
            stage.Transaction = transaction;
            var stageNames = (string[])["$ord", "$code", "$recipient", "$at", "$human", .. Dimensions.Select(d => "$b_" + d)];
            stage.CommandText = $"INSERT INTO bench_staging VALUES ({string.Join(", ", stageNames)})";
            var s = Parameters(stage, stageNames);
            insert.Prepare();
            stage.Prepare();
            long ord = 0;
            foreach (var click in clicks)
            {
                var atMs = click.At.ToUnixTimeMilliseconds();
                p[0].Value = click.Id.ToByteArray(bigEndian: true);
                p[1].Value = click.Code;
                p[2].Value = (object?)click.Recipient ?? DBNull.Value;
                p[3].Value = atMs;
                p[4].Value = (object?)click.UserAgent ?? DBNull.Value;
                p[5].Value = (object?)click.Referrer ?? DBNull.Value;
                p[6].Value = (object?)click.ClientAddress ?? DBNull.Value;
                p[7].Value = (int)click.Flags;
                p[8].Value = (object?)click.Reason ?? DBNull.Value;
                p[9].Value = (object?)click.Device ?? DBNull.Value;
                p[10].Value = (object?)click.Browser ?? DBNull.Value;
                p[11].Value = (object?)click.Os ?? DBNull.Value;
                p[12].Value = (object?)click.Country ?? DBNull.Value;
                p[13].Value = (object?)click.City ?? DBNull.Value;
                if (insert.ExecuteNonQuery() != 1)
                {
                    throw new InvalidOperationException($"click {click.Id} was generated twice");
                }

                s[0].Value = ord++;
                s[1].Value = click.Code;
                s[2].Value = (object?)click.Recipient ?? DBNull.Value;
                s[3].Value = atMs;
                s[4].Value = click.IsHuman ? 1 : 0;
                for (var d = 0; d < ClickBreakdown.Dimensions.Count; d++)
                {
                    s[5 + d].Value = ClickBreakdown.ValueOf(click, ClickBreakdown.Dimensions[d]);
                }

                stage.ExecuteNonQuery();
            }
        }

        var clickSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        log($"clicks and staging: {clickSeconds:0.0} s");
        started = Stopwatch.GetTimestamp();
        // The first human click of each recipient per scope, in write order (SQLite takes the bare columns from the min(ord) row).
        await ExecuteAsync(connection, transaction, $"""
            WITH {Counted}
            INSERT INTO first_seen (scope, recipient, first_at)
            SELECT scope, recipient, at FROM (
                SELECT scope, recipient, at, min(ord) FROM counted WHERE human = 1 AND recipient IS NOT NULL GROUP BY scope, recipient)
            ORDER BY scope, recipient
            """, cancellationToken, log, "first_seen");
        await ExecuteAsync(connection, transaction, $"""
            WITH {Counted},
            hourly AS (
                SELECT scope, at / 3600000 AS hour, count(*) AS clicks, sum(human) AS human_clicks, 0 AS new_recipients FROM counted GROUP BY 1, 2
                UNION ALL
                SELECT scope, first_at / 3600000, 0, 0, count(*) FROM first_seen GROUP BY 1, 2
            )
            INSERT INTO rollup_hourly (scope, hour, clicks, human_clicks, new_recipients)
            SELECT scope, hour, sum(clicks), sum(human_clicks), sum(new_recipients) FROM hourly GROUP BY scope, hour ORDER BY scope, hour
            """, cancellationToken, log, "rollup_hourly");
        var dimensions = string.Join(" UNION ALL ", Dimensions.Select(d => $"SELECT '{d}' AS dimension"));
        var values = string.Join(" ", Dimensions.Select(d => $"WHEN '{d}' THEN c.b_{d}"));
        await ExecuteAsync(connection, transaction, $"""
            WITH {Counted}
            INSERT INTO rollup_breakdown (scope, dimension, hour, value, clicks, human_clicks)
            SELECT c.scope, d.dimension, c.at / 3600000, CASE d.dimension {values} END, count(*), sum(c.human)
            FROM counted AS c CROSS JOIN ({dimensions}) AS d
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            """, cancellationToken, log, "rollup_breakdown");
        await ExecuteAsync(connection, transaction, "DROP TABLE bench_staging", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // No ANALYZE: the service never runs it, and sqlite_stat1 would change its query plans.
        await ExecuteAsync(connection, null, "PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken);
        return (clickSeconds, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static SqliteParameterCollection Parameters(SqliteCommand command, params string[] names)
    {
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        }

        return command.Parameters;
    }

    private static async Task ExecuteAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, Action<string>? log = null, string? step = null)
    {
        var started = Stopwatch.GetTimestamp();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
        log?.Invoke($"{step}: {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
