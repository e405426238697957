using LinkTracker.Core.Analytics;

namespace LinkTracker.Postgres;

public sealed class PostgresStatsStore(PostgresDatabases databases) : IStatsStore
{
    public async Task<IReadOnlyList<HourlyRollup>> ReadHourlyAsync(
        string tenant, StatsScope scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, cancellationToken);
        // Every hour that overlaps [from, to), as in the SQLite store.
        await using var command = transaction.Command("""
            SELECT hour, clicks, human_clicks, new_recipients FROM rollup_hourly
            WHERE scope = $1 AND hour >= date_trunc('hour', $2, 'UTC') AND hour < $3
            ORDER BY hour
            """);
        command.Parameters.Add(PostgresValues.Text(scope.RollupKey));
        command.Parameters.Add(PostgresValues.Time(from));
        command.Parameters.Add(PostgresValues.Time(to));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var hours = new List<HourlyRollup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hours.Add(new HourlyRollup(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return hours;
    }

    public async Task<IReadOnlyList<BreakdownRow>> ReadBreakdownAsync(
        string tenant, StatsScope scope, BreakdownDimension dimension, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await databases.BeginTenantAsync(tenant, PostgresClickStore.EnrichmentVersion, cancellationToken);
        // Ties by value in byte order, as in SQLite.
        await using var command = transaction.Command("""
            SELECT value, sum(clicks)::bigint, sum(human_clicks)::bigint FROM rollup_breakdown
            WHERE scope = $1 AND dimension = $2 AND hour >= date_trunc('hour', $3, 'UTC') AND hour < $4
            GROUP BY value
            ORDER BY 2 DESC, value COLLATE "C"
            LIMIT $5
            """);
        command.Parameters.Add(PostgresValues.Text(scope.RollupKey));
        command.Parameters.Add(PostgresValues.Text(ClickBreakdown.Name(dimension)));
        command.Parameters.Add(PostgresValues.Time(from));
        command.Parameters.Add(PostgresValues.Time(to));
        command.Parameters.Add(PostgresValues.Of(limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<BreakdownRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new BreakdownRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return rows;
    }

}
