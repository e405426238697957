using LinkTracker.Core.Clicks;
using LinkTracker.Core.Segments;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using LinkTracker.Sqlite;

namespace LinkTracker.IntegrationTests.Segments;

/// <summary>
/// Segments:StatementTimeout: each engine stops a segment query past the limit, and nothing of the run is stored.
/// Segments:WorkMemoryMegabytes: PostgreSQL runs the query with that work_mem (and without JIT).
/// </summary>
public sealed class SegmentTimeLimitTests
{
    private static readonly DateTimeOffset AsOf = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    [Fact]
    public async Task Sqlite_interrupts_a_query_past_the_limit_through_its_progress_handler()
    {
        using var folder = new TempFolder();
        var databases = new SqliteDatabases(folder.Path);
        var clicks = Enumerable.Range(0, 2_000).Select(i => AsOf.AddSeconds(-i))
            .Select((at, i) => new Click(Guid.CreateVersion7(at), "acme", "a", $"r{i % 300}", at, "test", null, null, ClickFlags.None)).ToList();
        await new SqliteClickStore(databases).WriteAsync("acme", clicks, CancellationToken.None);
        var store = new SqliteSegmentStore(databases);
        var query = SegmentSql.Compile(new NotFilter(new ClicksFilter(2, new ClickConditions(Link: "a"))), SegmentDialect.Sqlite, AsOf);

        // One tick: the handler's first call (after 1,000 steps) finds the limit passed. (The estimate reads the rollups,
        // a few rows: it ends before the handler is first called.)
        var run = await Assert.ThrowsAsync<SegmentTimeoutException>(() => store.StoreRecipientsAsync("acme", "run_1", query, Limits(TimeSpan.FromTicks(1)), CancellationToken.None));
        var stored = await store.ListRecipientsAsync("acme", "run_1", null, 10, CancellationToken.None);
        var recipients = await store.StoreRecipientsAsync("acme", "run_2", query, Limits(TimeSpan.FromSeconds(30)), CancellationToken.None);

        Assert.Contains("Segments:StatementTimeout", run.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromTicks(1), run.Limit);
        Assert.Empty(stored);
        Assert.Equal(0, recipients); // everyone clicked a at least twice; the same connection runs without the limit afterwards
        Assert.Equal(2_000 * 2, await store.EstimateRowsAsync("acme", query, Limits(TimeSpan.FromSeconds(30)), CancellationToken.None));
    }

    [Fact]
    public async Task Postgres_stops_a_query_past_the_statement_timeout_and_rolls_the_run_back()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await new PostgresTenantProvisioner(database.Provisioning).ProvisionAsync("acme", CancellationToken.None);
        var store = new PostgresSegmentStore(database.Runtime);
        // A query no filter compiles to, only to hold the statement past the limit.
        var slow = new SegmentQuery("SELECT 'x' AS recipient FROM pg_sleep(5)", new Dictionary<string, object>(), [], "test");

        var error = await Assert.ThrowsAsync<SegmentTimeoutException>(() => store.StoreRecipientsAsync("acme", "run_1", slow, Limits(TimeSpan.FromMilliseconds(50)), CancellationToken.None));
        var stored = await store.ListRecipientsAsync("acme", "run_1", null, 10, CancellationToken.None);

        Assert.Contains("Segments:StatementTimeout", error.Message, StringComparison.Ordinal);
        Assert.Empty(stored);
    }

    [Fact]
    public async Task Postgres_runs_the_query_with_the_work_mem_of_its_limits()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        // The server's work_mem is 4MB.
        Assert.Equal(["3MB"], await SettingDuringRunAsync(database, "work_mem", new SegmentRunLimits(TimeSpan.FromSeconds(30), 3)));
        Assert.Equal(["70MB"], await SettingDuringRunAsync(database, "work_mem", new SegmentRunLimits(TimeSpan.FromSeconds(30), 70)));
    }

    [Fact]
    public async Task Postgres_runs_the_query_without_jit_so_the_statement_timeout_stops_it_on_time()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        Assert.Equal(["off"], await SettingDuringRunAsync(database, "jit", Limits(TimeSpan.FromSeconds(30))));
    }

    /// <summary>
    /// Runs, under <paramref name="limits"/>, a query no filter compiles to, whose one recipient is the server setting
    /// <paramref name="name"/> as the statement sees it, and reads back what the run stored.
    /// </summary>
    private static async Task<IReadOnlyList<string>> SettingDuringRunAsync(PostgresTestDatabase database, string name, SegmentRunLimits limits)
    {
        await new PostgresTenantProvisioner(database.Provisioning).ProvisionAsync("acme", CancellationToken.None);
        var store = new PostgresSegmentStore(database.Runtime);
        var setting = new SegmentQuery("SELECT current_setting(@p0) AS recipient", new Dictionary<string, object> { ["@p0"] = name }, [], "test");
        var run = $"run_{Guid.NewGuid():N}";
        await store.StoreRecipientsAsync("acme", run, setting, limits, CancellationToken.None);
        return await store.ListRecipientsAsync("acme", run, null, 10, CancellationToken.None);
    }

    private static SegmentRunLimits Limits(TimeSpan statementTimeout) => new(statementTimeout, 64);
}
