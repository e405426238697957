using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LinkTracker.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracker.IntegrationTests.Distributed;

/// <summary>
/// One write cap per database (ADR 22): however many workers drain into a PostgreSQL database, together they start at
/// most Writer:MaxTransactionsPerSecond write transactions in any second — and still use the budget, not a third of it.
/// </summary>
public sealed class SharedWriteBudgetTests : IAsyncLifetime
{
    private static readonly string[] Tenants = ["acme", "globex", "initech"];
    private readonly string _prefix = "b" + Guid.NewGuid().ToString("N")[..10];
    private readonly FleetProcesses _fleet = new();
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        _fleet.Dispose();

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Three_writers_sharing_the_budget_take_at_most_the_cap_in_any_second_and_most_of_it_together()
    {
        const int Cap = 10;
        await new PostgresCatalogStore(_database.Provisioning).MigrateAsync(CancellationToken.None);
        var writers = Enumerable.Range(0, 3).Select(_ => Budget(Cap)).ToList();

        var grants = new ConcurrentBag<(int Writer, DateTimeOffset At)>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        await Task.WhenAll(writers.Select((writer, i) => Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    grants.Add((i, await writer.WaitAsync(stop.Token)));
                }
            }
            catch (OperationCanceledException)
            {
            }
        })));

        var perSecond = grants.GroupBy(g => g.At.ToUnixTimeSeconds()).OrderBy(g => g.Key).Select(g => g.Count()).ToList();
        Assert.All(perSecond, n => Assert.True(n <= Cap, $"{n} write slots granted in one second with a cap of {Cap}: {string.Join(", ", perSecond)}"));
        // Four seconds at 10 a second, shared: the three together use most of it (each alone would be held to its third otherwise).
        Assert.True(grants.Count >= 30, $"{grants.Count} slots in 4 s at a cap of {Cap}");
        Assert.Equal(3, grants.Select(g => g.Writer).Distinct().Count());
        var use = await new PostgresWriteBudgetStore(_database.Runtime).ReadUseAsync(CancellationToken.None);
        Assert.InRange(use.LastSecond + use.CurrentSecond, 0, Cap * 2);
    }

    [Fact]
    public async Task Without_the_budget_table_a_catalog_one_version_behind_a_writer_keeps_to_its_own_cap()
    {
        const int Cap = 20;
        await new PostgresCatalogStore(_database.Provisioning).MigrateAsync(CancellationToken.None);
        await using (var drop = _database.Owner.CreateCommand("DROP TABLE catalog.write_budget"))
        {
            await drop.ExecuteNonQueryAsync();
        }

        var writer = Budget(Cap);
        var times = new List<DateTimeOffset>();
        for (var i = 0; i < 6; i++)
        {
            times.Add(await writer.WaitAsync(CancellationToken.None));
        }

        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= WriteRateLimiter.Interval(Cap), $"{pair.First:O} then {pair.Second:O}"));
    }

    [Fact]
    public async Task Three_worker_processes_drain_into_one_database_within_one_cap()
    {
        const int Cap = 5;
        const int ClicksPerTenant = 14;
        string[] shared = [$"RabbitMq:Uri={RabbitMqTestServer.Uri}", $"RabbitMq:QueuePrefix={_prefix}", $"Redis:Configuration={RedisTestServer.Configuration}"];
        var keys = new Dictionary<string, string>();
        foreach (var tenant in Tenants)
        {
            keys[tenant] = await FleetProcesses.AddTenantAsync(_database, tenant);
        }

        var api = await _fleet.StartAsync("api", [.. _database.ServiceSettings(withOwner: false), .. shared, $"Internal:Token={_fleet.Token}"]);
        foreach (var tenant in Tenants)
        {
            using var admin = api.Client(tenant, keys[tenant]);
            (await admin.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a" })).EnsureSuccessStatusCode();
        }

        // One click per transaction, so transactions are what the database sees and the cap shows in the drain time.
        string[] worker = [.. _database.ServiceSettings(withOwner: false), .. shared, $"Writer:MaxTransactionsPerSecond={Cap}", "Writer:BatchSize=1"];
        var workers = new[] { await _fleet.StartAsync("worker", worker), await _fleet.StartAsync("worker", worker), await _fleet.StartAsync("worker", worker) };
        var edge = await _fleet.StartAsync("edge", [.. shared, $"Internal:ApiUrls={api.Address}", $"Internal:Token={_fleet.Token}"]);
        var began = DateTime.UtcNow;
        // In waves, so the edge forwards many small messages that the broker spreads over the three workers.
        for (var wave = 0; wave < ClicksPerTenant / 2; wave++)
        {
            foreach (var tenant in Tenants)
            {
                using var clicks = edge.Client(tenant);
                Assert.Equal(2, await Clicker.ClickAsync(clicks, 2, i => $"/a?r={tenant}-{wave}-{i}", concurrency: 2));
            }

            await Task.Delay(150);
        }

        var total = ClicksPerTenant * Tenants.Length;
        while (await StoredAsync() < total)
        {
            Assert.True(DateTime.UtcNow - began < TimeSpan.FromSeconds(90), $"{await StoredAsync()} of {total} clicks stored after 90 s");
            await Task.Delay(250);
        }

        var drained = DateTime.UtcNow - began;
        var statuses = await Task.WhenAll(workers.Select(WriterStatusAsync));
        Assert.All(statuses, s => Assert.Equal("database", (string)s["budget"]!["scope"]!));
        Assert.All(statuses, s => Assert.Equal(Cap, (int)s["budget"]!["perSecond"]!));
        // Second by second, the three workers' transactions together (slots are stamped with the database's clock).
        var perSecond = statuses
            .SelectMany(s => s["recentSeconds"]!.AsArray().Select(x => ((string)x!["second"]!, (int)x["transactions"]!)))
            .GroupBy(x => x.Item1, x => x.Item2)
            .Select(g => (Second: g.Key, Transactions: g.Sum()))
            .Where(x => x.Transactions > 0)
            .ToList();
        var seen = string.Join(", ", perSecond.Select(x => x.Transactions));
        Assert.All(perSecond, x => Assert.True(x.Transactions <= Cap, $"{x.Transactions} write transactions in {x.Second} with one cap of {Cap}: {seen}"));
        Assert.True(perSecond.Sum(x => x.Transactions) >= total, seen);
        Assert.True(
            statuses.Count(s => (long)s["transactions"]! > 0) >= 2,
            $"the clicks went to one worker only; the budget was never shared (transactions: {string.Join(", ", statuses.Select(s => s["transactions"]))})");
        // Three caps of 5 would drain 42 clicks in about 3 s; one cap of 5 takes at least 8.
        Assert.True(drained >= TimeSpan.FromSeconds((total / Cap) - 1), $"{total} clicks drained in {drained.TotalSeconds:F1} s: faster than one cap of {Cap} allows");
    }

    private SharedWriteBudget Budget(int cap)
    {
        var options = Options.Create(new WriterOptions { MaxTransactionsPerSecond = cap });
        return new SharedWriteBudget(
            new PostgresWriteBudgetStore(_database.Runtime), new WriteRateLimiter(options, TimeProvider.System), options, TimeProvider.System, NullLogger<SharedWriteBudget>.Instance);
    }

    private async Task<long> StoredAsync()
    {
        long stored = 0;
        foreach (var tenant in Tenants)
        {
            await using var count = _database.Owner.CreateCommand($"SELECT count(*) FROM t_{tenant}.clicks");
            stored += (long)(await count.ExecuteScalarAsync())!;
        }

        return stored;
    }

    private static async Task<JsonNode> WriterStatusAsync(ServiceProcess service)
    {
        using var client = service.OpsClient("127.0.0.1");
        return await (await client.GetAsync("/ops/writer")).ReadJsonAsync();
    }
}
