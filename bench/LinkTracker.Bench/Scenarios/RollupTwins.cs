using System.Data.Common;
using LinkTracker.Bench.Results;
using LinkTracker.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// The bulk loaders' proof: the same generated clicks, written by the service's writer into one tenant and bulk-loaded
/// into its twin (same links), must leave the same rows in clicks (ids aside: each generation mints new ones),
/// first_seen, rollup_hourly and rollup_breakdown. Rows only on one side are counted per table, both ways.
/// </summary>
public static class RollupTwins
{
    private static readonly (string Table, string Columns)[] Tables =
    [
        ("clicks", "code, recipient, at, user_agent, referrer, client_address, flags, reason, device, browser, os, country, city"),
        ("first_seen", "scope, recipient, first_at"),
        ("rollup_hourly", "scope, hour, clicks, human_clicks, new_recipients"),
        ("rollup_breakdown", "scope, dimension, hour, value, clicks, human_clicks"),
    ];

    public static async Task CompareSqliteAsync(string writtenPath, string loadedPath, string engine, ScenarioReport report, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = writtenPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var attach = connection.CreateCommand())
        {
            attach.CommandText = "ATTACH DATABASE $path AS loaded";
            attach.Parameters.AddWithValue("$path", loadedPath);
            await attach.ExecuteNonQueryAsync(cancellationToken);
        }

        await CompareAsync(connection, "main", "loaded", engine, report, cancellationToken);
    }

    public static async Task ComparePostgresAsync(string ownerConnectionString, string written, string loaded, string engine, ScenarioReport report, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await CompareAsync(connection, PostgresDatabases.TenantSchema(written), PostgresDatabases.TenantSchema(loaded), engine, report, cancellationToken);
    }

    private static async Task CompareAsync(DbConnection connection, string written, string loaded, string engine, ScenarioReport report, CancellationToken cancellationToken)
    {
        var table = new Table($"{engine}: the same clicks through the writer and through the bulk load (rows only on one side must be 0)",
            "Table", "rows (writer)", "rows (bulk load)", "only written", "only loaded");
        long differences = 0;
        foreach (var (name, columns) in Tables)
        {
            // Names are this class's constants and the service's schema naming, never input.
            var writtenRows = await CountAsync(connection, $"SELECT count(*) FROM {written}.{name}", cancellationToken);
            var loadedRows = await CountAsync(connection, $"SELECT count(*) FROM {loaded}.{name}", cancellationToken);
            var onlyWritten = await CountAsync(connection, $"SELECT count(*) FROM (SELECT {columns} FROM {written}.{name} EXCEPT SELECT {columns} FROM {loaded}.{name}) AS d", cancellationToken);
            var onlyLoaded = await CountAsync(connection, $"SELECT count(*) FROM (SELECT {columns} FROM {loaded}.{name} EXCEPT SELECT {columns} FROM {written}.{name}) AS d", cancellationToken);
            table.Add(name, writtenRows, loadedRows, onlyWritten, onlyLoaded);
            differences += onlyWritten + onlyLoaded + Math.Abs(writtenRows - loadedRows);
        }

        report.Tables.Add(table);
        report.Figure($"{engine.ToLowerInvariant()}.bulk_vs_writer.differences", differences);
        report.Check($"{engine}: bulk load leaves the writer's rows (clicks, first_seen, rollups)", differences, "==", 0, " rows differ");
    }

    private static async Task<long> CountAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
