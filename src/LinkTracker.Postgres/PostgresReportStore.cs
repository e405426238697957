using LinkTracker.Core.Clicks;
using LinkTracker.Core.Reports;
using Npgsql;
using NpgsqlTypes;

namespace LinkTracker.Postgres;

/// <summary>
/// Report settings and daily reports in the tenant's schema. Clicks are counted by id range: a click's id is a
/// UUIDv7 of its own millisecond, and ids partition the clicks table by month, so a day reads one or two partitions.
/// </summary>
public sealed class PostgresReportStore(PostgresDatabases databases) : IReportStore
{
    private const string InRange = "id >= $1 AND id < $2";

    /// <summary>The tenant schema version that added the report tables (0002_reports.sql); a tenant still at 1 gets a clear 503.</summary>
    private const int ReportsVersion = 2;

    public async Task<ReportSettings?> GetSettingsAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, ReportsVersion, cancellationToken);
        await using var command = transaction.Command("SELECT time_zone, webhook_url, webhook_secret, updated_at FROM report_settings WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ReportSettings(reader.GetString(0), reader.GetStringOrNull(1), reader.GetStringOrNull(2), reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    public async Task SaveSettingsAsync(string tenant, ReportSettings settings, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, ReportsVersion, cancellationToken);
        await using var command = transaction.Command("""
            INSERT INTO report_settings (id, time_zone, webhook_url, webhook_secret, updated_at) VALUES (1, $1, $2, $3, $4)
            ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone, webhook_url = excluded.webhook_url,
                webhook_secret = excluded.webhook_secret, updated_at = excluded.updated_at
            """);
        command.Parameters.Add(PostgresValues.Text(settings.TimeZone));
        command.Parameters.Add(PostgresValues.Text(settings.WebhookUrl));
        command.Parameters.Add(PostgresValues.Text(settings.WebhookSecret));
        command.Parameters.Add(PostgresValues.Time(settings.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ClickDayCounts> CountClicksAsync(
        string tenant, DateTimeOffset from, DateTimeOffset to, int nonHumanFlags, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, cancellationToken);
        // One snapshot for the three counts (nothing in the transaction took one yet), so totals and rows agree while the writer adds late clicks.
        await using (var snapshot = transaction.Command("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        {
            await snapshot.ExecuteNonQueryAsync(cancellationToken);
        }

        var links = new List<LinkClickCounts>();
        await using (var command = RangeCommand(transaction, $"""
            SELECT code, count(*), count(*) FILTER (WHERE flags & $3 = 0), count(DISTINCT recipient) FILTER (WHERE flags & $3 = 0)
            FROM clicks WHERE {InRange} GROUP BY code
            """, from, to, nonHumanFlags))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                links.Add(new LinkClickCounts(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        var referrers = new List<ReferrerClickCount>();
        await using (var command = RangeCommand(transaction, $"SELECT referrer, count(*) FROM clicks WHERE {InRange} GROUP BY referrer", from, to, null))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                referrers.Add(new ReferrerClickCount(reader.GetStringOrNull(0), reader.GetInt64(1)));
            }
        }

        await using var totals = RangeCommand(transaction, $"""
            SELECT count(*), count(*) FILTER (WHERE flags & $3 = 0), count(DISTINCT recipient) FILTER (WHERE flags & $3 = 0)
            FROM clicks WHERE {InRange}
            """, from, to, nonHumanFlags);
        await using var total = await totals.ExecuteReaderAsync(cancellationToken);
        await total.ReadAsync(cancellationToken);
        return new ClickDayCounts(total.GetInt64(0), total.GetInt64(1), total.GetInt64(2), links, referrers);
    }

    public async Task SaveReportAsync(string tenant, StoredReport report, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, ReportsVersion, cancellationToken);
        await using var command = transaction.Command("""
            INSERT INTO reports (day, time_zone, from_at, to_at, generated_at, content) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (day) DO UPDATE SET time_zone = excluded.time_zone, from_at = excluded.from_at, to_at = excluded.to_at,
                generated_at = excluded.generated_at, content = excluded.content
            """);
        command.Parameters.Add(PostgresValues.Of(report.Date));
        command.Parameters.Add(PostgresValues.Text(report.TimeZone));
        command.Parameters.Add(PostgresValues.Time(report.From));
        command.Parameters.Add(PostgresValues.Time(report.To));
        command.Parameters.Add(PostgresValues.Time(report.GeneratedAt));
        command.Parameters.Add(PostgresValues.Text(report.Content));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<StoredReport?> GetReportAsync(string tenant, DateOnly date, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, ReportsVersion, cancellationToken);
        await using var command = transaction.Command("SELECT time_zone, from_at, to_at, generated_at, content FROM reports WHERE day = $1");
        command.Parameters.Add(PostgresValues.Of(date));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredReport(
                date,
                reader.GetString(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetString(4))
            : null;
    }

    public async Task<IReadOnlyList<ReportSummary>> ListReportsAsync(
        string tenant, DateOnly from, DateOnly to, int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, ReportsVersion, cancellationToken);
        await using var command = transaction.Command(
            "SELECT day, time_zone, generated_at FROM reports WHERE day >= $1 AND day <= $2 ORDER BY day DESC LIMIT $3");
        command.Parameters.Add(PostgresValues.Of(from));
        command.Parameters.Add(PostgresValues.Of(to));
        command.Parameters.Add(PostgresValues.Of(limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var reports = new List<ReportSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            reports.Add(new ReportSummary(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return reports;
    }

    private static NpgsqlCommand RangeCommand(PostgresTenantTransaction transaction, string sql, DateTimeOffset from, DateTimeOffset to, int? nonHumanFlags)
    {
        var command = transaction.Command(sql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = ClickIdBounds.SmallestAt(from) });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid, Value = ClickIdBounds.SmallestAt(to) });
        if (nonHumanFlags is { } mask)
        {
            command.Parameters.Add(PostgresValues.Of(mask));
        }

        return command;
    }
}
