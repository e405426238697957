using LinkTracker.Core.Clicks;
using LinkTracker.Core.Segments;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using LinkTracker.Sqlite;
using Npgsql;

namespace LinkTracker.IntegrationTests.Segments;

/// <summary>
/// The recipient index, built for one tenant by the operator (ADR 31), serves "at least N clicks" with a window and a
/// human condition from the index alone, in recipient order: no table read, no sort, no hash (each engine's EXPLAIN of
/// the compiled query says so), and only once it is built. On PostgreSQL it is built partition by partition, finishes
/// an interrupted build, covers a month created later, and drops whole. Which plan wins at 10M clicks is the
/// benchmark's (scenario f), not a test's.
/// </summary>
public sealed class RecipientIndexTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static readonly ClicksFilter AtLeastThreeHuman = new(3, new ClickConditions(Human: true, Within: TimeSpan.FromDays(30)));

    [Fact]
    public async Task Sqlite_reads_only_the_covering_recipient_index_once_it_is_built()
    {
        using var folder = new TempFolder();
        var databases = new SqliteDatabases(folder.Path);
        var index = new SqliteRecipientIndex(databases);
        await new SqliteClickStore(databases).WriteAsync("acme", Clicks(), CancellationToken.None);
        var query = SegmentSql.Compile(AtLeastThreeHuman, SegmentDialect.Sqlite, AsOf);
        Assert.True(query.GroupsInRecipientOrder);

        Assert.NotNull(query.SqliteRecipientIndexSql);
        var indexed = query with { Sql = query.SqliteRecipientIndexSql };

        Assert.False(await index.ExistsAsync("acme", CancellationToken.None));
        Assert.DoesNotContain(await SqlitePlanAsync(databases, indexed), step => step.Contains(IRecipientIndex.Name, StringComparison.Ordinal));

        await index.BuildAsync("acme", CancellationToken.None);
        await index.BuildAsync("acme", CancellationToken.None); // again: nothing to do
        Assert.True(await index.ExistsAsync("acme", CancellationToken.None));
        // One step, in the index (SEARCH: the term it is partial on is a range of it); no TEMP B-TREE for the GROUP BY.
        var step = Assert.Single(await SqlitePlanAsync(databases, indexed));
        Assert.Contains("clicks USING COVERING INDEX clicks_recipient", step, StringComparison.Ordinal);

        // SQL without the term never reads it: SQLite would read the whole index for a week's DISTINCT recipients,
        // which the week's id range serves with a fraction of the rows; the store asks for the index only when it pays.
        Assert.DoesNotContain(await SqlitePlanAsync(databases, query), s => s.Contains(IRecipientIndex.Name, StringComparison.Ordinal));
        var week = SegmentSql.Compile(new ClickedFilter(new ClickConditions(Within: TimeSpan.FromDays(7))), SegmentDialect.Sqlite, AsOf);
        Assert.Null(week.SqliteRecipientIndexSql);
        Assert.DoesNotContain(await SqlitePlanAsync(databases, week), s => s.Contains(IRecipientIndex.Name, StringComparison.Ordinal));

        Assert.True(await index.DropAsync("acme", CancellationToken.None));
        Assert.False(await index.DropAsync("acme", CancellationToken.None));
        Assert.False(await index.ExistsAsync("acme", CancellationToken.None));
        Assert.DoesNotContain(await SqlitePlanAsync(databases, indexed), s => s.Contains(IRecipientIndex.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Postgres_reads_only_the_recipient_index_in_order_once_it_is_built()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var index = await ProvisionAsync(database);
        var query = SegmentSql.Compile(AtLeastThreeHuman, SegmentDialect.Postgres, AsOf);

        Assert.False(await index.ExistsAsync("acme", CancellationToken.None));
        Assert.DoesNotContain("_recipient", string.Join('\n', await PostgresPlanAsync(database, query)), StringComparison.Ordinal);

        await index.BuildAsync("acme", CancellationToken.None);
        await index.BuildAsync("acme", CancellationToken.None);
        Assert.True(await index.ExistsAsync("acme", CancellationToken.None));
        await VacuumAsync(database); // what autovacuum does to a table clicks are inserted into: index-only scans need it

        var plan = await PostgresPlanAsync(database, query);
        var text = string.Join('\n', plan);
        Assert.StartsWith("GroupAggregate", plan[0], StringComparison.Ordinal);
        Assert.Contains("Index Only Scan using", text, StringComparison.Ordinal);
        Assert.Contains("Merge Append", text, StringComparison.Ordinal); // each month's partition in recipient order
        Assert.Contains("_recipient on clicks_", text, StringComparison.Ordinal); // the partitions' indexes, attached to clicks_recipient
        Assert.DoesNotContain(plan, line => line.EndsWith("Sort", StringComparison.Ordinal));
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);

        Assert.True(await index.DropAsync("acme", CancellationToken.None));
        Assert.False(await index.ExistsAsync("acme", CancellationToken.None));
        Assert.Equal(0, await RecipientIndexesAsync(database));
        Assert.False(await index.DropAsync("acme", CancellationToken.None));
    }

    [Fact]
    public async Task Postgres_finishes_an_interrupted_build_and_covers_a_month_created_later()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var index = await ProvisionAsync(database);
        var partitions = await PartitionsAsync(database);
        Assert.True(partitions.Count >= 3, string.Join(", ", partitions)); // two months and the default

        // What a build stopped half-way leaves: the parent's index (invalid), one partition's attached, one partition's
        // invalid (CREATE INDEX CONCURRENTLY interrupted), the rest without.
        await OwnerAsync(database, $"CREATE INDEX {IRecipientIndex.Name} ON ONLY t_acme.clicks (recipient, id) INCLUDE (flags) WHERE recipient IS NOT NULL");
        await OwnerAsync(database, $"CREATE INDEX {partitions[0]}_recipient ON t_acme.{partitions[0]} (recipient, id) INCLUDE (flags) WHERE recipient IS NOT NULL");
        await OwnerAsync(database, $"ALTER INDEX t_acme.{IRecipientIndex.Name} ATTACH PARTITION t_acme.{partitions[0]}_recipient");
        await OwnerAsync(database, $"CREATE INDEX {partitions[1]}_recipient ON t_acme.{partitions[1]} (recipient, id) INCLUDE (flags) WHERE recipient IS NOT NULL");
        await OwnerAsync(database, $"UPDATE pg_index SET indisvalid = false WHERE indexrelid = 't_acme.{partitions[1]}_recipient'::regclass");
        Assert.False(await index.ExistsAsync("acme", CancellationToken.None));

        await index.BuildAsync("acme", CancellationToken.None);
        Assert.True(await index.ExistsAsync("acme", CancellationToken.None));
        Assert.Equal(partitions.Count, await RecipientIndexesAsync(database));

        // A month with no partition yet: the writer creates it, and it comes with its index; the parent's stays valid.
        var later = AsOf.AddMonths(3);
        await new PostgresClickStore(database.Runtime).WriteAsync(
            "acme", [new Click(Guid.CreateVersion7(later), "acme", "a", "r1", later, "test", null, null, ClickFlags.None)], CancellationToken.None);
        Assert.Equal(partitions.Count + 1, (await PartitionsAsync(database)).Count);
        Assert.Equal(partitions.Count + 1, await RecipientIndexesAsync(database));
        Assert.True(await index.ExistsAsync("acme", CancellationToken.None));

        Assert.True(await index.DropAsync("acme", CancellationToken.None));
        Assert.Equal(0, await RecipientIndexesAsync(database));
    }

    [Fact]
    public async Task Postgres_drop_also_removes_what_an_interrupted_build_left_unattached()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var index = await ProvisionAsync(database);
        var partition = (await PartitionsAsync(database))[0];
        await OwnerAsync(database, $"CREATE INDEX {partition}_recipient ON t_acme.{partition} (recipient, id) INCLUDE (flags) WHERE recipient IS NOT NULL");

        Assert.False(await index.DropAsync("acme", CancellationToken.None)); // no parent index: the tenant had none
        Assert.Equal(0, await RecipientIndexesAsync(database));
    }

    private static async Task<PostgresRecipientIndex> ProvisionAsync(PostgresTestDatabase database)
    {
        await new PostgresTenantProvisioner(database.Provisioning).ProvisionAsync("acme", CancellationToken.None);
        await new PostgresClickStore(database.Runtime).WriteAsync("acme", Clicks(), CancellationToken.None);
        return new PostgresRecipientIndex(database.Provisioning);
    }

    /// <summary>Clicks this month and last (two partitions on PostgreSQL), some recipients often, some by bots.</summary>
    private static List<Click> Clicks() => [.. Enumerable.Range(0, 1000)
        .Select(i => (At: AsOf.AddHours(-i), Index: i))
        .Select(c => new Click(Guid.CreateVersion7(c.At), "acme", "a", $"r{c.Index % 90}", c.At, "test", null, null, c.Index % 7 == 0 ? ClickFlags.Bot : ClickFlags.None))];

    private static async Task<List<string>> SqlitePlanAsync(SqliteDatabases databases, SegmentQuery query)
    {
        await using var connection = await databases.OpenTenantAsync("acme", CancellationToken.None);
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + query.Sql;
        foreach (var (name, value) in query.Parameters)
        {
            explain.Parameters.AddWithValue(name, value);
        }

        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    /// <summary>
    /// The plan with what the run sets (enable_hashagg off, since the index exists); a table this small would rather be
    /// read whole, or by id and sorted, so those plans are off too: what is left shows whether the index serves alone.
    /// </summary>
    private static async Task<List<string>> PostgresPlanAsync(PostgresTestDatabase database, SegmentQuery query)
    {
        await using var connection = await database.Owner.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
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
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0).Trim());
        }

        return plan;
    }

    private static async Task<List<string>> PartitionsAsync(PostgresTestDatabase database)
    {
        await using var command = database.Owner.CreateCommand(
            "SELECT c.relname FROM pg_inherits AS p JOIN pg_class AS c ON c.oid = p.inhrelid WHERE p.inhparent = 't_acme.clicks'::regclass ORDER BY 1");
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>Indexes on the partitions of clicks that are the recipient index's (named *_recipient, or cloned for a new month).</summary>
    private static async Task<int> RecipientIndexesAsync(PostgresTestDatabase database)
    {
        await using var command = database.Owner.CreateCommand("""
            SELECT count(*) FROM pg_index AS i JOIN pg_inherits AS p ON p.inhrelid = i.indrelid JOIN pg_class AS c ON c.oid = i.indexrelid
            WHERE p.inhparent = 't_acme.clicks'::regclass AND (c.relname LIKE '%\_recipient' OR c.relname LIKE '%\_recipient\_id\_flags\_idx')
            """);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task VacuumAsync(PostgresTestDatabase database) => await OwnerAsync(database, "VACUUM (ANALYZE) t_acme.clicks");

    private static async Task OwnerAsync(PostgresTestDatabase database, string sql)
    {
        await using var command = database.Owner.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
