using System.Net;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Postgres;
using LinkTracker.SignedLinks;

namespace LinkTracker.IntegrationTests.SignedLinks;

/// <summary>
/// The issue's scenario (ADR 26): a running edge redirects a signed link with its api node stopped and Redis killed.
/// The edge has no database credentials at all (ADR 8), so PostgreSQL is unreachable for it by construction. Once
/// both are back, the click captured meanwhile is stored exactly once, in its campaign too (click format 2, ADR 11).
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class SignedLinkEdgeOutageTests : IAsyncLifetime
{
    private readonly string _prefix = "sl" + Guid.NewGuid().ToString("N")[..10];
    private readonly FleetProcesses _fleet = new();
    private PostgresTestDatabase _database = null!;
    private RedisProcess _redis = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _redis = await RedisProcess.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _fleet.Dispose();

        await _redis.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_running_edge_redirects_a_signed_link_with_the_api_stopped_and_redis_down_and_its_click_is_stored_once_after()
    {
        string[] shared = [$"RabbitMq:Uri={RabbitMqTestServer.Uri}", $"RabbitMq:QueuePrefix={_prefix}", $"Redis:Configuration={_redis.Configuration}", $"Internal:Token={_fleet.Token}", "ClickFormat:WriteVersion=2"];
        var apiKey = await FleetProcesses.AddTenantAsync(_database);
        var api = await _fleet.StartAsync("api", [.. _database.ServiceSettings(withOwner: false), .. shared]);
        await _fleet.StartAsync("worker", [.. _database.ServiceSettings(withOwner: false), .. shared]);
        using var admin = api.Client("acme", apiKey);
        (await admin.PostJsonAsync("/api/signing-keys", new { })).EnsureSuccessStatusCode();
        var signed = await (await admin.PostJsonAsync("/api/signed-links", new { url = "https://example.com/mailing?id=7", campaign = "mailing" })).ReadJsonAsync();
        var path = new Uri((string)signed["shortUrl"]!).PathAndQuery;
        var edge = await _fleet.StartAsync("edge", [.. shared, $"Internal:ApiUrls={api.Address}"]);
        using var clicker = edge.Client("acme");
        Assert.Equal(HttpStatusCode.Found, (await clicker.GetAsync(path + "?r=before")).StatusCode);

        api.Kill();
        _redis.Kill();

        using (var response = await clicker.GetAsync(path + "?r=during"))
        {
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Equal("https://example.com/mailing?id=7", response.Headers.Location!.OriginalString);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await clicker.GetAsync(path[..^2] + (path[^2] == 'A' ? "B" : "A") + path[^1..])).StatusCode);

        await _redis.RestartAsync();
        api = await _fleet.RestartAsync(api);
        using var restarted = api.Client("acme", apiKey);
        var code = SignedLinkCodec.CodeOf(path["/s/".Length..]);
        var store = new PostgresClickStore(_database.Runtime);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<Click> stored;
        long pending;
        while (true)
        {
            stored = (await store.ListAsync("acme", new ClickQuery(code, null, 100, null, null), CancellationToken.None)).Items;
            var stats = await (await restarted.GetAsync("/api/stats")).ReadJsonAsync();
            pending = (long)stats["freshness"]!["pendingClicks"]!;
            if (stored.Any(c => c.Recipient == "during") && pending == 0)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"after 60 s: {stored.Count} stored ({string.Join(", ", stored.Select(c => c.Recipient))}), {pending} waiting");
            await Task.Delay(200);
        }

        // Nothing waits anywhere any more, so no later delivery can add a row: each click is stored once.
        Assert.Equal(["before", "during"], stored.Select(c => c.Recipient).Order());
        var campaign = (await (await restarted.GetAsync("/api/stats?campaign=mailing")).ReadJsonAsync())["totals"]!;
        Assert.Equal((2L, 2L), ((long)campaign["clicks"]!, (long)campaign["uniqueRecipients"]!));
    }
}
