using LinkTracker.Core.Links;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Links;
using LinkTracker.Redis;
using LinkTracker.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LinkTracker.IntegrationTests.Redirects;

/// <summary>One node's miss must not become every node's 404: misses stay in the node that had them.</summary>
public sealed class SharedCacheMissTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private RedisProcess _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisProcess.StartAsync();

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_code_one_node_found_missing_is_found_by_another_node_once_it_exists()
    {
        var databases = new SqliteDatabases(_folder.Path);
        await new SqliteTenantProvisioner(databases).ProvisionAsync("acme", CancellationToken.None);
        var store = new SqliteLinkStore(databases);
        var options = Options.Create(new LinkCacheOptions());
        using var redisA = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        using var redisB = await ConnectionMultiplexer.ConnectAsync(_redis.Configuration);
        LinkCache Node(IConnectionMultiplexer redis) =>
            new(new StoreLinkLookup(store, new LinkCodeFilter(store, options, TimeProvider.System, NullLogger<LinkCodeFilter>.Instance)),
                options, NullLogger<LinkCache>.Instance, new RedisSharedLinkCache(redis));
        var nodeA = Node(redisA);
        var nodeB = Node(redisB);

        // Node A is asked before the link exists (or before its filter heard of it)...
        Assert.Null(await nodeA.GetAsync("acme", "fresh", CancellationToken.None));
        // ...then another api node creates it, and its broadcast has not reached anyone yet.
        var at = DateTimeOffset.UtcNow;
        await store.InsertAsync("acme", [new Link("fresh", "https://example.com/fresh", [], null, null, false, at, at)], CancellationToken.None);

        Assert.False(await redisA.GetDatabase().KeyExistsAsync("lt:link:acme:fresh"));
        Assert.Equal("https://example.com/fresh", (await nodeB.GetAsync("acme", "fresh", CancellationToken.None))?.Destination);
    }
}
