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

}
