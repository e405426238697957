using System.Globalization;
using LinkTracker.Core.Reports;
using Microsoft.Data.Sqlite;

namespace LinkTracker.Sqlite;

/// <summary>
/// Report settings and daily reports in the tenant's own database. Clicks are counted by primary key range: a
/// click's id is a UUIDv7 of its own millisecond (see <see cref="SqliteClickRetention"/>), so no time index is needed.
/// </summary>
public sealed class SqliteReportStore(SqliteDatabases databases) : IReportStore
{
    public async Task<ReportSettings?> GetSettingsAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("SELECT time_zone, webhook_url, webhook_secret, updated_at FROM report_settings WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ReportSettings(reader.GetString(0), reader.GetStringOrNull(1), reader.GetStringOrNull(2), SqliteValues.FromUnixMs(reader.GetInt64(3)))
            : null;
    }

    public async Task SaveSettingsAsync(string tenant, ReportSettings settings, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            INSERT INTO report_settings (id, time_zone, webhook_url, webhook_secret, updated_at) VALUES (1, $tz, $url, $secret, $at)
            ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone, webhook_url = excluded.webhook_url,
                webhook_secret = excluded.webhook_secret, updated_at = excluded.updated_at
            """);
        command.Parameters.AddWithValue("$tz", settings.TimeZone);
        command.Parameters.AddWithValue("$url", SqliteValues.ToDb(settings.WebhookUrl));
        command.Parameters.AddWithValue("$secret", SqliteValues.ToDb(settings.WebhookSecret));
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(settings.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ClickDayCounts> CountClicksAsync(
        string tenant, DateTimeOffset from, DateTimeOffset to, int nonHumanFlags, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        // One read transaction: the three counts see the same clicks even while the writer adds late ones.
        await using var transaction = connection.BeginTransaction(deferred: true);

        var links = new List<LinkClickCounts>();
        await using (var command = RangeCommand(connection, transaction, """
            SELECT code, count(*), count(*) FILTER (WHERE flags & $mask = 0),
                   count(DISTINCT CASE WHEN flags & $mask = 0 THEN recipient END)
            FROM clicks WHERE id >= $from AND id < $to GROUP BY code
            """, from, to, nonHumanFlags))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                links.Add(new LinkClickCounts(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        var referrers = new List<ReferrerClickCount>();
        await using (var command = RangeCommand(connection, transaction, """
            SELECT referrer, count(*) FROM clicks WHERE id >= $from AND id < $to GROUP BY referrer
            """, from, to, nonHumanFlags))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                referrers.Add(new ReferrerClickCount(reader.GetStringOrNull(0), reader.GetInt64(1)));
            }
        }

        await using var totals = RangeCommand(connection, transaction, """
            SELECT count(*), count(*) FILTER (WHERE flags & $mask = 0),
                   count(DISTINCT CASE WHEN flags & $mask = 0 THEN recipient END)
            FROM clicks WHERE id >= $from AND id < $to
            """, from, to, nonHumanFlags);
        await using var total = await totals.ExecuteReaderAsync(cancellationToken);
        await total.ReadAsync(cancellationToken);
        return new ClickDayCounts(total.GetInt64(0), total.GetInt64(1), total.GetInt64(2), links, referrers);
    }

    public async Task SaveReportAsync(string tenant, StoredReport report, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            INSERT INTO reports (day, time_zone, from_at, to_at, generated_at, content) VALUES ($day, $tz, $from, $to, $at, $content)
            ON CONFLICT (day) DO UPDATE SET time_zone = excluded.time_zone, from_at = excluded.from_at, to_at = excluded.to_at,
                generated_at = excluded.generated_at, content = excluded.content
            """);
        command.Parameters.AddWithValue("$day", Day(report.Date));
        command.Parameters.AddWithValue("$tz", report.TimeZone);
        command.Parameters.AddWithValue("$from", SqliteValues.ToUnixMs(report.From));
        command.Parameters.AddWithValue("$to", SqliteValues.ToUnixMs(report.To));
        command.Parameters.AddWithValue("$at", SqliteValues.ToUnixMs(report.GeneratedAt));
        command.Parameters.AddWithValue("$content", report.Content);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredReport?> GetReportAsync(string tenant, DateOnly date, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("SELECT time_zone, from_at, to_at, generated_at, content FROM reports WHERE day = $day");
        command.Parameters.AddWithValue("$day", Day(date));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredReport(
                date,
                reader.GetString(0),
                SqliteValues.FromUnixMs(reader.GetInt64(1)),
                SqliteValues.FromUnixMs(reader.GetInt64(2)),
                SqliteValues.FromUnixMs(reader.GetInt64(3)),
                reader.GetString(4))
            : null;
    }

    public async Task<IReadOnlyList<ReportSummary>> ListReportsAsync(
        string tenant, DateOnly from, DateOnly to, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            SELECT day, time_zone, generated_at FROM reports WHERE day >= $from AND day <= $to ORDER BY day DESC LIMIT $limit
            """);
        command.Parameters.AddWithValue("$from", Day(from));
        command.Parameters.AddWithValue("$to", Day(to));
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var reports = new List<ReportSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            reports.Add(new ReportSummary(
                DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.GetString(1),
                SqliteValues.FromUnixMs(reader.GetInt64(2))));
        }

        return reports;
    }

    // ISO dates sort as text, so day ranges and ORDER BY work on the column as it is.
    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static SqliteCommand RangeCommand(
        SqliteConnection connection, SqliteTransaction transaction, string sql, DateTimeOffset from, DateTimeOffset to, int nonHumanFlags)
    {
        var command = connection.Command(sql, transaction);
        command.Parameters.AddWithValue("$from", SqliteClickRetention.SmallestIdAt(from));
        command.Parameters.AddWithValue("$to", SqliteClickRetention.SmallestIdAt(to));
        command.Parameters.AddWithValue("$mask", nonHumanFlags);
        return command;
    }
}
