using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace LinkTracker.IntegrationTests.Distributed;

/// <summary>
/// The distributed deployment as separate processes on 127.0.0.1 — 2 edges, 1 api, 2 workers on PostgreSQL, RabbitMQ
/// and Redis of this test's own — takes 100,000 clicks with distinct recipients for 3 tenants while RabbitMQ restarts,
/// PostgreSQL crash-restarts and a worker is killed with SIGKILL, and ends with exact counts per tenant and per link.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class DistributedDeploymentTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clicks = 100_000;
    private const int LinksPerTenant = 20;
    private static readonly string[] Tenants = ["acme", "globex", "initech"];
    private readonly FleetProcesses _fleet = new();
    private PrivateServices _services = null!;
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _services = await PrivateServices.StartAsync();
        _database = await PostgresTestDatabase.CreateAsync(_services.Postgres);
    }

    public async Task DisposeAsync()
    {
        _fleet.Dispose();

        await _database.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Every_click_is_counted_once_through_broker_restart_database_crash_and_a_killed_worker()
    {
        var keys = new Dictionary<string, string>();
        foreach (var tenant in Tenants)
        {
            keys[tenant] = await FleetProcesses.AddTenantAsync(_database, tenant);
        }

        var api = await _fleet.StartAsync("api", [.. _database.ServiceSettings(withOwner: false), .. Broker(), $"Internal:Token={_fleet.Token}", $"Redis:Configuration={_services.Redis}"]);
        string[] worker = [.. _database.ServiceSettings(withOwner: false), .. Broker(), "Writer:MaxTransactionsPerSecond=20"];
        var workers = new[] { await _fleet.StartAsync("worker", worker), await _fleet.StartAsync("worker", worker) };
        string[] edge = [.. Broker(), $"Internal:ApiUrls={api.Address}", $"Internal:Token={_fleet.Token}", $"Redis:Configuration={_services.Redis}"];
        var edges = new[] { await _fleet.StartAsync("edge", edge), await _fleet.StartAsync("edge", edge) };

        var expected = new ConcurrentDictionary<(string Tenant, int Link), int>();
        foreach (var tenant in Tenants)
        {
            using var client = api.Client(tenant, keys[tenant]);
            var links = Enumerable.Range(0, LinksPerTenant).Select(l => new { url = $"https://{tenant}.example/{l}", code = $"l{l}" });
            (await client.PostJsonAsync("/api/links/batch", new { links })).EnsureSuccessStatusCode();
            for (var l = 0; l < LinksPerTenant; l++)
            {
                expected[(tenant, l)] = 0;
            }
        }

        // Every edge asks the api node once per link (its cache is cold); from then on the database may go away.
        var edgeClients = edges.SelectMany(e => Tenants.Select(t => (Edge: e, Tenant: t, Client: e.Client(t)))).ToList();
        edgeClients.ForEach(c => _fleet.Track(c.Client));
        var warm = 0;
        foreach (var (_, tenant, client) in edgeClients)
        {
            for (var l = 0; l < LinksPerTenant; l++)
            {
                Assert.Equal(HttpStatusCode.Found, (await client.GetAsync($"/l{l}?r=warm-{warm++}")).StatusCode);
                expected[(tenant, l)]++;
            }
        }

        var sent = 0;
        var failed = 0;
        var faults = new List<string>();
        var clock = Stopwatch.StartNew();
        var load = Task.Run(async () =>
        {
            using var gate = new SemaphoreSlim(48);
            await Task.WhenAll(Enumerable.Range(0, Clicks).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var (tenant, link) = (Tenants[i % Tenants.Length], i / Tenants.Length % LinksPerTenant);
                    var client = edgeClients[(i / Tenants.Length % edges.Length * Tenants.Length) + (i % Tenants.Length)].Client;
                    var response = await client.GetAsync($"/l{link}?r=u-{i}");
                    if (response.StatusCode == HttpStatusCode.Found)
                    {
                        expected.AddOrUpdate((tenant, link), 1, (_, n) => n + 1);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
                finally
                {
                    Interlocked.Increment(ref sent);
                    gate.Release();
                }
            }));
        });

        await WhenSentAsync(() => sent, Clicks * 15 / 100, load);
        var began = clock.Elapsed;
        await _services.RestartAsync("rabbitmq");
        faults.Add($"RabbitMQ restarted at {began.TotalSeconds:F0} s (took {(clock.Elapsed - began).TotalSeconds:F1} s), {sent} clicks sent");

        await WhenSentAsync(() => sent, Clicks * 40 / 100, load);
        began = clock.Elapsed;
        await _services.RestartAsync("postgres");
        faults.Add($"PostgreSQL restarted with -m immediate at {began.TotalSeconds:F0} s (took {(clock.Elapsed - began).TotalSeconds:F1} s), {sent} clicks sent");

        await WhenSentAsync(() => sent, Clicks * 65 / 100, load);
        var victim = await WriterStatusAsync(workers[0]);
        workers[0].Kill();
        faults.Add($"worker 1 killed (SIGKILL) at {clock.Elapsed.TotalSeconds:F0} s, {sent} clicks sent; it had committed {victim["transactions"]} transactions");

        await load;
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var total = expected.Values.Sum();
        await WaitForCountsAsync(api, keys, expected, TimeSpan.FromMinutes(4));
        var drainedSeconds = clock.Elapsed.TotalSeconds;

        output.WriteLine($"{Clicks} clicks (+{warm} warm-up) through 2 edges in {loadSeconds:F1} s; all {total} stored by {drainedSeconds:F1} s; failed redirects: {failed}");
        faults.ForEach(output.WriteLine);
        var edgeStatus = await Task.WhenAll(edges.Select(WriterStatusAsync));
        var survivor = await WriterStatusAsync(workers[1]);
        output.WriteLine($"edges: forwarded {string.Join(" + ", edgeStatus.Select(s => s["forwarded"]))}, failed forwarding attempts {string.Join(" + ", edgeStatus.Select(s => s["forwardFailures"]))}");
        output.WriteLine($"surviving worker: {survivor["transactions"]} transactions, {survivor["rowsInserted"]} rows, {survivor["duplicates"]} duplicates absorbed, {survivor["writeFailures"]} failed writes");

        // The broker's restart reached the edges (they kept redirecting and retried), so the run tested what it claims.
        Assert.All(edgeStatus, s => Assert.True((long)s["forwardFailures"]! > 0, "an edge never saw the broker down"));
        Assert.Equal(total, edgeStatus.Sum(s => (long)s["forwarded"]!));

        foreach (var tenant in Tenants)
        {
            using var client = api.Client(tenant, keys[tenant]);
            var tenantTotal = expected.Where(e => e.Key.Tenant == tenant).Sum(e => e.Value);
            Assert.Equal((tenantTotal, tenantTotal), await TotalsAsync(client, "/api/stats"));
            for (var l = 0; l < LinksPerTenant; l++)
            {
                Assert.Equal((expected[(tenant, l)], expected[(tenant, l)]), await TotalsAsync(client, $"/api/links/l{l}/stats"));
            }

            // Raw rows: none lost, none twice (the rollups above agree with them).
            await using var count = _database.Owner.CreateCommand($"SELECT count(*), count(DISTINCT recipient) FROM t_{tenant}.clicks");
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal((tenantTotal, tenantTotal), (reader.GetInt64(0), reader.GetInt64(1)));
        }

        Assert.Equal(0, failed);
    }

    private string[] Broker() => [$"RabbitMq:Uri={_services.RabbitMq}", "RabbitMq:QueuePrefix=e2e"];

    private static async Task WhenSentAsync(Func<int> sent, int count, Task load)
    {
        while (sent() < count && !load.IsCompleted)
        {
            await Task.Delay(20);
        }
    }

    private static async Task<JsonNode> WriterStatusAsync(ServiceProcess service)
    {
        using var client = service.OpsClient("127.0.0.1");
        return await (await client.GetAsync("/ops/writer")).ReadJsonAsync();
    }

    private static async Task WaitForCountsAsync(
        ServiceProcess api, Dictionary<string, string> keys, ConcurrentDictionary<(string Tenant, int Link), int> expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var tenant in Tenants)
        {
            using var client = api.Client(tenant, keys[tenant]);
            var want = expected.Where(e => e.Key.Tenant == tenant).Sum(e => e.Value);
            long have;
            while ((have = (await TotalsAsync(client, "/api/stats")).Clicks) < want)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{tenant}: {have} of {want} clicks stored after {timeout}.");
                await Task.Delay(500);
            }
        }
    }

    private static async Task<(long Clicks, long Unique)> TotalsAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body.ToJsonString()}");
        var totals = body["totals"]!;
        return ((long)totals["clicks"]!, (long)totals["uniqueRecipients"]!);
    }
}
