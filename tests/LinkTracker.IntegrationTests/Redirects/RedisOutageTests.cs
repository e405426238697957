using System.Diagnostics;
using System.Net;
using LinkTracker.Core.Links;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Links;
using LinkTracker.Redis;
using LinkTracker.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LinkTracker.IntegrationTests.Redirects;

/// <summary>Redis (the shared link cache) dies and comes back: redirects and link changes go on from memory and the store.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private RedisProcess _redis = null!;
    private TestService _service = null!;
    private HttpClient _api = null!;
    private HttpClient _acme = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisProcess.StartAsync();
        _service = await TestService.StartAsync($"Redis:Configuration={_redis.Configuration}");
        var key = await _service.AddTenantAsync("acme");
        _api = _service.Client("acme", key);
        _acme = _service.Client("acme");
        foreach (var code in (string[])["cached", "cold", "changed"])
        {
            (await _api.PostJsonAsync("/api/links", new { url = $"https://example.com/{code}", code })).EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        _acme.Dispose();
        await _service.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string? Location, TimeSpan Took)> ClickAsync(string code, string recipient)
    {
        var started = Stopwatch.StartNew();
        var response = await _acme.GetAsync($"/{code}?r={recipient}");
        return (response.StatusCode, response.Headers.Location?.ToString(), started.Elapsed);
    }

    [Fact]
    public async Task Redirects_and_link_changes_go_on_while_redis_is_down_and_after_it_returns()
    {
        Assert.Equal(HttpStatusCode.Found, (await ClickAsync("cached", "r1")).Status);
        Assert.Equal(HttpStatusCode.Found, (await ClickAsync("changed", "r1")).Status);

        _redis.Kill();
        var cached = await ClickAsync("cached", "r2");
        var cold = await ClickAsync("cold", "r2"); // not in this node's memory: Redis fails, the store answers
        var change = await _api.PatchRawAsync("/api/links/changed", """{"url":"https://example.com/changed-v2"}""");
        var changed = await ClickAsync("changed", "r2");
        var created = await _api.PostJsonAsync("/api/links", new { url = "https://example.com/new", code = "new" });
        var fresh = await ClickAsync("new", "r2");

        await _redis.RestartAsync();
        var afterCreate = await _api.PostJsonAsync("/api/links", new { url = "https://example.com/later", code = "later" });
        var after = await ClickAsync("later", "r3");

        Assert.Equal((HttpStatusCode.Found, "https://example.com/cached"), (cached.Status, cached.Location));
        Assert.Equal((HttpStatusCode.Found, "https://example.com/cold"), (cold.Status, cold.Location));
        Assert.True(cold.Took < TimeSpan.FromSeconds(3), $"a miss waited {cold.Took.TotalSeconds:0.0} s for the dead Redis");
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal("https://example.com/changed-v2", changed.Location);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Found, fresh.Status);
        Assert.Equal(HttpStatusCode.Created, afterCreate.StatusCode);
        Assert.Equal((HttpStatusCode.Found, "https://example.com/later"), (after.Status, after.Location));
    }

    [Fact]
    public async Task A_change_made_while_redis_was_down_reaches_the_other_nodes_once_it_is_back()
    {
        using var folder = new TempFolder();
        var databases = new SqliteDatabases(folder.Path);
        await new SqliteTenantProvisioner(databases).ProvisionAsync("globex", CancellationToken.None);
        var store = new SqliteLinkStore(databases);
        var at = DateTimeOffset.UtcNow;
        await store.InsertAsync("globex", [new Link("a", "https://example.com/old", [], null, null, false, at, at)], CancellationToken.None);
        var options = Options.Create(new LinkCacheOptions());
        async Task<(LinkCache Cache, ConnectionMultiplexer Redis)> NodeAsync()
        {
            var config = ConfigurationOptions.Parse(_redis.Configuration);
            config.AbortOnConnectFail = false;
            config.BacklogPolicy = BacklogPolicy.FailFast;
            var redis = await ConnectionMultiplexer.ConnectAsync(config);
            var shared = new RedisSharedLinkCache(redis);
            var filter = new LinkCodeFilter(store, options, TimeProvider.System, NullLogger<LinkCodeFilter>.Instance);
            var cache = new LinkCache(new StoreLinkLookup(store, filter), options, NullLogger<LinkCache>.Instance, shared, filter);
            shared.OnConnectionRestored(cache.SharedCacheRestored);
            await shared.SubscribeAsync(cache.InvalidateLocal, CancellationToken.None);
            return (cache, redis);
        }

        var (nodeA, redisA) = await NodeAsync();
        var (nodeB, redisB) = await NodeAsync();
        using (redisA)
        using (redisB)
        {
            Assert.Equal("https://example.com/old", (await nodeA.GetAsync("globex", "a", CancellationToken.None))?.Destination);

            // Node B's API changes the link while Redis is down: the broadcast cannot go out.
            _redis.Kill();
            await store.UpdateAsync("globex", new Link("a", "https://example.com/new", [], null, null, false, at, at), CancellationToken.None);
            await nodeB.InvalidateAsync("globex", "a", CancellationToken.None);
            await _redis.RestartAsync();

            var deadline = DateTime.UtcNow.AddSeconds(20);
            string? seen;
            do
            {
                await Task.Delay(100);
                seen = (await nodeA.GetAsync("globex", "a", CancellationToken.None))?.Destination;
            }
            while (seen != "https://example.com/new" && DateTime.UtcNow < deadline);

            Assert.Equal("https://example.com/new", seen);
        }
    }
}
