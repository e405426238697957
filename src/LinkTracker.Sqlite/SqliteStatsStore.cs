using LinkTracker.Core.Analytics;

namespace LinkTracker.Sqlite;

public sealed class SqliteStatsStore(SqliteDatabases databases) : IStatsStore
{

    public async Task<IReadOnlyList<HourlyRollup>> ReadHourlyAsync(
        string tenant, StatsScope scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            SELECT hour, clicks, human_clicks, new_recipients FROM rollup_hourly
            WHERE scope = $scope AND hour >= $from AND hour < $to
            ORDER BY hour
            """);
        command.Parameters.AddWithValue("$scope", scope.RollupKey);
        command.Parameters.AddWithValue("$from", SqliteValues.HourFloor(from.ToUnixTimeMilliseconds()));
        command.Parameters.AddWithValue("$to", SqliteValues.HourCeiling(to.ToUnixTimeMilliseconds()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var hours = new List<HourlyRollup>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hours.Add(new HourlyRollup(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0) * SqliteValues.MsPerHour),
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetInt64(3)));
        }

        return hours;
    }

    public async Task<IReadOnlyList<BreakdownRow>> ReadBreakdownAsync(
        string tenant, StatsScope scope, BreakdownDimension dimension, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
        await using var command = connection.Command("""
            SELECT value, sum(clicks), sum(human_clicks) FROM rollup_breakdown
            WHERE scope = $scope AND dimension = $dimension AND hour >= $from AND hour < $to
            GROUP BY value
            ORDER BY sum(clicks) DESC, value
            LIMIT $limit
            """);
        command.Parameters.AddWithValue("$scope", scope.RollupKey);
        command.Parameters.AddWithValue("$dimension", ClickBreakdown.Name(dimension));
        command.Parameters.AddWithValue("$from", SqliteValues.HourFloor(from.ToUnixTimeMilliseconds()));
        command.Parameters.AddWithValue("$to", SqliteValues.HourCeiling(to.ToUnixTimeMilliseconds()));
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<BreakdownRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new BreakdownRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return rows;
    }

}
