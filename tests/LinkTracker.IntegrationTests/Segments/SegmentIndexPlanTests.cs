using LinkTracker.Core.Clicks;
using LinkTracker.Core.Segments;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using LinkTracker.Sqlite;
using Npgsql;

namespace LinkTracker.IntegrationTests.Segments;

/// <summary>
/// The clicks_recipient index (migration 0013, ADR 30) serves "at least N clicks" with a window and a human condition
/// from the index alone, in recipient order: no table read, no sort, no hash. Each engine's EXPLAIN of the compiled
/// query says so. Which plan the planner prefers at 10M clicks is the benchmark's (scenario f), not a test's.
/// </summary>
public sealed class SegmentIndexPlanTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static readonly ClicksFilter AtLeastThreeHuman = new(3, new ClickConditions(Human: true, Within: TimeSpan.FromDays(30)));

    [Fact]
    public async Task Sqlite_reads_only_the_covering_recipient_index()
    {
        using var folder = new TempFolder();
        var databases = new SqliteDatabases(folder.Path);
        await new SqliteClickStore(databases).WriteAsync("acme", Clicks(), CancellationToken.None);
        var query = SegmentSql.Compile(AtLeastThreeHuman, SegmentDialect.Sqlite, AsOf);

        await using var connection = await databases.OpenTenantAsync("acme", CancellationToken.None);
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + query.Sql;
        foreach (var (name, value) in query.Parameters)
        {
            explain.Parameters.AddWithValue(name, value);
        }

        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        // One step, in the index (SEARCH: "recipient IS NOT NULL" is a range of it); no TEMP B-TREE for the GROUP BY.
        var step = Assert.Single(plan);
        Assert.Contains("clicks USING COVERING INDEX clicks_recipient", step, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_reads_only_the_recipient_index_in_order_when_hash_aggregation_is_off()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await new PostgresTenantProvisioner(database.Provisioning).ProvisionAsync("acme", CancellationToken.None);
        await new PostgresClickStore(database.Runtime).WriteAsync("acme", Clicks(), CancellationToken.None);
        await using (var vacuum = database.Owner.CreateCommand("VACUUM (ANALYZE) t_acme.clicks"))
        {
            await vacuum.ExecuteNonQueryAsync(); // what autovacuum does to a table clicks are inserted into: index-only scans need it
        }

        var query = SegmentSql.Compile(AtLeastThreeHuman, SegmentDialect.Postgres, AsOf);
        Assert.True(query.GroupsInRecipientOrder);

        await using var connection = await database.Owner.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // What the run sets (enable_hashagg); and a table this small would rather be read whole, or by id and sorted, so
        // those plans are off too: what is left shows whether the index can serve the query alone, in order.
        await using (var set = new NpgsqlCommand(
            "SET LOCAL search_path = t_acme; SET LOCAL enable_hashagg = off; SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off",
            connection, transaction))
        {
            await set.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT TEXT, COSTS OFF) " + query.Sql, connection, transaction);
        foreach (var (name, value) in query.Parameters)
        {
            explain.Parameters.Add(new NpgsqlParameter(name.TrimStart('@'), value));
        }

        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0).Trim());
            }
        }

        var text = string.Join('\n', plan);
        Assert.StartsWith("GroupAggregate", plan[0], StringComparison.Ordinal);
        Assert.Contains("Index Only Scan using", text, StringComparison.Ordinal);
        Assert.Contains("Merge Append", text, StringComparison.Ordinal); // each month's partition in recipient order
        Assert.Contains("_recipient_id_flags_idx", text, StringComparison.Ordinal); // the partitions' copies of clicks_recipient
        Assert.DoesNotContain(plan, line => line.EndsWith("Sort", StringComparison.Ordinal));
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
        Assert.DoesNotContain(plan, line => line.StartsWith("Index Scan", StringComparison.Ordinal) || line.Contains("-> Index Scan", StringComparison.Ordinal));
    }

    /// <summary>Clicks this month and last (two partitions on PostgreSQL), some recipients often, some by bots.</summary>
    private static List<Click> Clicks() => [.. Enumerable.Range(0, 600)
        .Select(i => (At: AsOf.AddHours(-i), Index: i))
        .Select(c => new Click(Guid.CreateVersion7(c.At), "acme", "a", $"r{c.Index % 90}", c.At, "test", null, null, c.Index % 7 == 0 ? ClickFlags.Bot : ClickFlags.None))];
}
