using LinkTracker.Core.Links;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Links;
using LinkTracker.Redis;
using LinkTracker.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>The shared link cache on a real Redis, and two nodes' in-process caches kept in step through it.</summary>
public sealed class RedisSharedLinkCacheTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-01T10:00:00Z");
    private readonly TempFolder _folder = new();
    private readonly string _tenant = "t" + Guid.NewGuid().ToString("N")[..12];

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Keeps_links_and_known_misses_until_invalidated()
    {
        using var redis = await RedisTestServer.ConnectAsync();
        var cache = new RedisSharedLinkCache(redis);
        var link = new SharedLink(true, "https://example.com/a|b", T0, Disabled: true);

        Assert.Equal(new SharedLinkRead(null, 0), await cache.GetAsync(_tenant, "a", CancellationToken.None));
        Assert.True(await cache.SetAsync(_tenant, "a", link, 0, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.True(await cache.SetAsync(_tenant, "gone", SharedLink.Missing, 0, TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal(new SharedLinkRead(link, 0), await cache.GetAsync(_tenant, "a", CancellationToken.None));
        Assert.Equal(new SharedLinkRead(SharedLink.Missing, 0), await cache.GetAsync(_tenant, "gone", CancellationToken.None));
        await cache.InvalidateAsync(_tenant, "a", CancellationToken.None);
        Assert.Equal(new SharedLinkRead(null, 1), await cache.GetAsync(_tenant, "a", CancellationToken.None));
    }

    [Fact]
    public async Task A_store_that_read_the_generation_before_a_change_is_refused()
    {
        using var redis = await RedisTestServer.ConnectAsync();
        var cache = new RedisSharedLinkCache(redis);
        var old = new SharedLink(true, "https://example.com/old", null, false);
        var before = (await cache.GetAsync(_tenant, "a", CancellationToken.None)).Generation;

        await cache.InvalidateAsync(_tenant, "a", CancellationToken.None); // the change lands while the old link is loaded

        Assert.False(await cache.SetAsync(_tenant, "a", old, before, TimeSpan.FromMinutes(1), CancellationToken.None));
        var after = await cache.GetAsync(_tenant, "a", CancellationToken.None);
        Assert.Equal(new SharedLinkRead(null, before + 1), after);
        Assert.True(await cache.SetAsync(_tenant, "a", old with { Destination = "https://example.com/new" }, after.Generation, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal("https://example.com/new", (await cache.GetAsync(_tenant, "a", CancellationToken.None)).Link?.Destination);
    }

    [Fact]
    public async Task An_invalidation_returns_once_every_subscribed_node_dropped_its_copy()
    {
        // A Redis of its own: on the shared one, other test runs' nodes would be counted as receivers too.
        await using var server = await RedisProcess.StartAsync();
        using var nodeA = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(server.Configuration);
        using var nodeB = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(server.Configuration);
        var dropped = 0;
        // A slow node: the change must not be answered before it has dropped its copy.
        await new RedisSharedLinkCache(nodeA).SubscribeAsync((t, _) => { if (t == _tenant) { Thread.Sleep(300); Interlocked.Increment(ref dropped); } }, CancellationToken.None);

        var confirmed = await new RedisSharedLinkCache(nodeB, TimeSpan.FromSeconds(10)).InvalidateAsync(_tenant, "x", CancellationToken.None);

        Assert.True(confirmed);
        Assert.Equal(1, Volatile.Read(ref dropped));
    }

    [Fact]
    public async Task Keeps_the_redirect_status_of_a_learned_link()
    {
        using var redis = await RedisTestServer.ConnectAsync();
        var cache = new RedisSharedLinkCache(redis);
        var permanent = new SharedLink(true, "https://example.com/p|q", null, Disabled: false, Status: 308);

        Assert.True(await cache.SetAsync(_tenant, "p", permanent, 0, TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal(new SharedLinkRead(permanent, 0), await cache.GetAsync(_tenant, "p", CancellationToken.None));
    }

    [Fact]
    public async Task Keeps_the_visit_limit_and_the_redirect_rules_of_a_link()
    {
        using var redis = await RedisTestServer.ConnectAsync();
        var cache = new RedisSharedLinkCache(redis);
        var limited = new SharedLink(true, "https://example.com/l|x", T0, false, 301, MaxVisits: 7, Version: 1_700_000_000_123);
        var ruled = new SharedLink(true, "https://example.com/r", null, false, MaxVisits: 3, Version: 42,
            Rules: [new RedirectRule(new RuleCondition(Os: ["iOS"]), "https://example.com/ios")]);

        Assert.True(await cache.SetAsync(_tenant, "l", limited, 0, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.True(await cache.SetAsync(_tenant, "r", ruled, 0, TimeSpan.FromMinutes(1), CancellationToken.None));

        Assert.Equal(limited, (await cache.GetAsync(_tenant, "l", CancellationToken.None)).Link);
        var read = (await cache.GetAsync(_tenant, "r", CancellationToken.None)).Link!;
        Assert.Equal((ruled.Destination, ruled.MaxVisits, ruled.Version), (read.Destination, read.MaxVisits, read.Version));
        var rule = Assert.Single(read.Rules!);
        Assert.Equal(("https://example.com/ios", "iOS"), (rule.Url, rule.When.Os!.Single()));
    }

    [Fact]
    public async Task An_invalidation_reaches_every_subscriber()
    {
        using var nodeA = await RedisTestServer.ConnectAsync();
        using var nodeB = await RedisTestServer.ConnectAsync();
        var heard = new TaskCompletionSource<(string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await new RedisSharedLinkCache(nodeA).SubscribeAsync((t, c) => { if (t == _tenant) { heard.TrySetResult((t, c)); } }, CancellationToken.None);

        await new RedisSharedLinkCache(nodeB).InvalidateAsync(_tenant, "x", CancellationToken.None);

        Assert.Equal((_tenant, "x"), await heard.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Two_nodes_share_misses_and_drop_a_changed_link_at_once()
    {
        var databases = new SqliteDatabases(_folder.Path);
        await new SqliteTenantProvisioner(databases).ProvisionAsync(_tenant, CancellationToken.None);
        var store = new SqliteLinkStore(databases);
        await store.InsertAsync(_tenant, [new Link("a", "https://example.com/old", [], null, null, false, T0, T0)], CancellationToken.None);
        using var redisA = await RedisTestServer.ConnectAsync();
        using var redisB = await RedisTestServer.ConnectAsync();
        var options = Options.Create(new LinkCacheOptions());
        var nodeA = new LinkCache(new StoreLinkLookup(store, new LinkCodeFilter(store, options, TimeProvider.System, NullLogger<LinkCodeFilter>.Instance)), options, NullLogger<LinkCache>.Instance, new RedisSharedLinkCache(redisA));
        var nodeB = new LinkCache(new StoreLinkLookup(store, new LinkCodeFilter(store, options, TimeProvider.System, NullLogger<LinkCodeFilter>.Instance)), options, NullLogger<LinkCache>.Instance, new RedisSharedLinkCache(redisB));
        await new RedisSharedLinkCache(redisA).SubscribeAsync(nodeA.InvalidateLocal, CancellationToken.None);

        Assert.Equal("https://example.com/old", (await nodeA.GetAsync(_tenant, "a", CancellationToken.None))?.Destination);
        Assert.Equal("https://example.com/old", (await nodeB.GetAsync(_tenant, "a", CancellationToken.None))?.Destination);
        Assert.Equal((1L, 0L), (nodeA.StoreReads, nodeA.SharedHits));
        Assert.Equal((0L, 1L), (nodeB.StoreReads, nodeB.SharedHits));

        // Node B changes the link (as its API would): node A must stop redirecting to the old destination.
        await store.UpdateAsync(_tenant, new Link("a", "https://example.com/new", [], null, null, false, T0, T0), CancellationToken.None);
        await nodeB.InvalidateAsync(_tenant, "a", CancellationToken.None);

        var deadline = DateTime.UtcNow.AddSeconds(5);
        string? seen;
        do
        {
            seen = (await nodeA.GetAsync(_tenant, "a", CancellationToken.None))?.Destination;
        }
        while (seen != "https://example.com/new" && DateTime.UtcNow < deadline && await Task.Delay(20).ContinueWith(_ => true));

        Assert.Equal("https://example.com/new", seen);
    }
}
