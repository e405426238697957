using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.IntegrationTests.Legacy;

namespace LinkTracker.IntegrationTests.Distributed;

/// <summary>
/// Learn-through on the distributed deployment: an edge process without a database asks the legacy system, learns
/// through the api process, and answers the next click itself once the legacy system is gone. Deterministic: the edge
/// learns before answering and forgets its own miss at once, so no step waits for the Redis broadcast.
/// </summary>
public sealed class DistributedLegacyTests : IAsyncLifetime
{
    private readonly string _prefix = "l" + Guid.NewGuid().ToString("N")[..10];
    private readonly FleetProcesses _fleet = new();
    private PostgresTestDatabase _database = null!;
    private LegacyServer _legacy = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _legacy = await LegacyServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _fleet.Dispose();

        await _legacy.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task An_edge_learns_through_the_api_node_and_keeps_redirecting_after_legacy_is_stopped()
    {
        string[] shared = [$"RabbitMq:Uri={RabbitMqTestServer.Uri}", $"RabbitMq:QueuePrefix={_prefix}", $"Redis:Configuration={RedisTestServer.Configuration}", "Legacy:AllowPrivateTargets=true"];
        var key = await FleetProcesses.AddTenantAsync(_database);
        var api = await _fleet.StartAsync("api", [.. _database.ServiceSettings(withOwner: false), .. shared, $"Internal:Token={_fleet.Token}"]);
        using var admin = api.Client("acme", key);
        (await admin.PutAsJsonAsync("/api/settings", new { legacyBaseUrl = _legacy.Url })).EnsureSuccessStatusCode();
        var edge = await _fleet.StartAsync("edge", [.. shared, $"Internal:ApiUrls={api.Address}", $"Internal:Token={_fleet.Token}"]);
        using var clicks = edge.Client("acme");
        var code = "f" + Guid.NewGuid().ToString("N")[..12]; // the shared Redis outlives this test: a code of its own

        var first = await clicks.GetAsync($"/{code}?r=alice");
        var second = await clicks.GetAsync($"/{code}?r=bob");
        var page = await clicks.GetAsync("/about/team");
        await _legacy.StopAsync();
        var third = await clicks.GetAsync($"/{code}?r=carol");
        var unknownWhileDown = await clicks.GetAsync("/g" + Guid.NewGuid().ToString("N")[..12]);

        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal($"https://dest.example/{code}?r=alice", first.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Found, second.StatusCode);
        Assert.Equal(HttpStatusCode.Found, third.StatusCode);
        Assert.Equal($"https://dest.example/{code}?r=alice", third.Headers.Location!.OriginalString);
        Assert.Equal(1, _legacy.Requests("/" + code));
        Assert.Equal("legacy page /about/team", await page.Content.ReadAsStringAsync());
        await using var learned = _database.Owner.CreateCommand($"SELECT source FROM t_acme.links WHERE code = '{code}'");
        Assert.Equal("legacy", (string?)await learned.ExecuteScalarAsync());

        // The edge proxied the page and met the stopped legacy system; the api node's migration view counts both.
        Assert.Equal(HttpStatusCode.BadGateway, unknownWhileDown.StatusCode);
        var hour = await PollAsync(async () => (await admin.GetFromJsonAsync<JsonNode>("/api/migration"))!["lastHour"]!,
            h => (long)h["proxied"]! == 1 && (long)h["legacyFailures"]! == 1);
        Assert.Equal(1, (long)hour["proxied"]!);
        Assert.Equal(1, (long)hour["legacyFailures"]!);
        Assert.True((bool)hour["requestsFleetWide"]!);
    }

    private static async Task<JsonNode> PollAsync(Func<Task<JsonNode>> read, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var node = await read();
            if (done(node) || DateTime.UtcNow > deadline)
            {
                return node;
            }

            await Task.Delay(50);
        }
    }
}
