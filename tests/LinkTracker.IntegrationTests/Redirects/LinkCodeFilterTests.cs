using LinkTracker.Core.Legacy;
using LinkTracker.Core.Links;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Legacy;
using LinkTracker.Links;
using LinkTracker.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracker.IntegrationTests.Redirects;

/// <summary>The code filter in front of a real SQLite store: unknown codes read nothing, and no real link is ever reported missing.</summary>
public sealed class LinkCodeFilterTests : IDisposable
{
    private const string Tenant = "acme";
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2026-03-01T10:00:00Z");
    private readonly TempFolder _folder = new();
    private readonly IOptions<LinkCacheOptions> _options = Options.Create(new LinkCacheOptions());

    public void Dispose() => _folder.Dispose();

    private static Link NewLink(string code) => new(code, $"https://example.com/{code}", [], null, null, false, T0, T0);

    private async Task<SqliteLinkStore> StoreWithAsync(int links)
    {
        var databases = new SqliteDatabases(_folder.Path);
        await new SqliteTenantProvisioner(databases).ProvisionAsync(Tenant, CancellationToken.None);
        var store = new SqliteLinkStore(databases);
        await store.InsertAsync(Tenant, [.. Enumerable.Range(0, links).Select(i => NewLink($"known{i}"))], CancellationToken.None);
        return store;
    }

    private LinkCodeFilter FilterOn(ILinkStore store) => new(store, _options, TimeProvider.System, NullLogger<LinkCodeFilter>.Instance);

    /// <summary>A store of 10 links, its code filter built, and a link cache that reads through both.</summary>
    private async Task<(SqliteLinkStore Store, LinkCodeFilter Filter, LinkCache Cache)> BuiltCacheAsync()
    {
        var store = await StoreWithAsync(10);
        var filter = FilterOn(store);
        var cache = new LinkCache(new StoreLinkLookup(store, filter), _options, NullLogger<LinkCache>.Instance, codes: filter);
        await WaitUntilBuiltAsync(filter);
        return (store, filter, cache);
    }

    /// <summary>The first miss starts the build; this waits until the filter answers "missing" for a random code.</summary>
    private static async Task WaitUntilBuiltAsync(LinkCodeFilter filter)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (filter.MayExist(Tenant, "probe" + Guid.NewGuid().ToString("N")))
        {
            Assert.True(DateTime.UtcNow < deadline, "the code filter was not built within 10 s");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Random_unknown_codes_are_answered_without_reading_the_store_and_every_known_code_is_still_found()
    {
        var store = await StoreWithAsync(5_000);
        var filter = FilterOn(store);
        var lookup = new StoreLinkLookup(store, filter);
        await WaitUntilBuiltAsync(filter);
        var readsBefore = lookup.StoreReads;

        var unknown = 0;
        for (var i = 0; i < 2_000; i++)
        {
            unknown += (await lookup.FindAsync(Tenant, "scan" + Guid.NewGuid().ToString("N")[..8], CancellationToken.None)).Exists ? 0 : 1;
        }

        var scanReads = lookup.StoreReads - readsBefore;
        for (var i = 0; i < 5_000; i++)
        {
            Assert.True((await lookup.FindAsync(Tenant, $"known{i}", CancellationToken.None)).Exists, $"known{i} was reported missing");
        }

        Assert.Equal(2_000, unknown);
        Assert.True(scanReads <= 60, $"{scanReads} of 2,000 random codes read the store (about 1 % false positives expected)");
        Assert.Equal(2_000 - scanReads, lookup.Filtered);
    }

    [Fact]
    public async Task A_link_created_after_the_build_is_found_at_once()
    {
        var (store, filter, cache) = await BuiltCacheAsync();
        var service = new LinkService(store, cache, filter, TimeProvider.System);

        var created = await service.CreateAsync(Tenant, [new CreateLinkRequest("https://example.com/new", "fresh"), new CreateLinkRequest("https://example.com/gen")], batch: true, CancellationToken.None);

        Assert.True(created.Succeeded);
        Assert.All(created.Links, link => Assert.True(filter.MayExist(Tenant, link.Code), $"{link.Code} was reported missing right after it was created"));
    }

    [Fact]
    public async Task An_insert_that_commits_after_a_build_read_the_store_is_not_lost_from_the_filter()
    {
        var store = await StoreWithAsync(10);
        var filter = FilterOn(store);

        // The insert has announced its code, the build reads the store before the insert commits.
        using (filter.Inserting(Tenant, ["late"]))
        {
            await WaitUntilBuiltAsync(filter);
            await store.InsertAsync(Tenant, [NewLink("late")], CancellationToken.None);
        }

        Assert.True(filter.MayExist(Tenant, "late"));
    }

    [Fact]
    public async Task A_code_learned_from_the_legacy_system_is_in_the_filter_while_its_insert_runs()
    {
        var (_, filter, cache) = await BuiltCacheAsync();
        var legacy = new ProbingLegacyStore(new SqliteLegacyStore(new SqliteDatabases(_folder.Path)), () => filter.MayExist(Tenant, "learned"));

        await new StoreLegacySource(legacy, cache, filter).LearnAsync(
            Tenant, new LearnedLink("learned", "https://legacy.example/learned", 301, T0), CancellationToken.None);

        // Between the insert's commit and the cache's invalidation a lookup must not read "missing" (ADR 10).
        Assert.True(legacy.MayExistDuringInsert, "the learned code was missing from the code filter while it was inserted");
        Assert.Equal("https://legacy.example/learned", (await cache.GetAsync(Tenant, "learned", CancellationToken.None))?.Destination);
    }

    [Fact]
    public async Task A_code_another_node_created_arrives_with_the_invalidation_broadcast()
    {
        var (store, _, cache) = await BuiltCacheAsync();

        await store.InsertAsync(Tenant, [NewLink("elsewhere")], CancellationToken.None); // another api node's insert
        cache.InvalidateLocal(Tenant, "elsewhere"); // its broadcast

        Assert.Equal("https://example.com/elsewhere", (await cache.GetAsync(Tenant, "elsewhere", CancellationToken.None))?.Destination);
    }

    [Fact]
    public async Task With_the_filter_off_every_miss_reads_the_store()
    {
        var store = await StoreWithAsync(10);
        var filter = new LinkCodeFilter(store, Options.Create(new LinkCacheOptions { CodeFilterRefreshSeconds = 0 }), TimeProvider.System, NullLogger<LinkCodeFilter>.Instance);
        var lookup = new StoreLinkLookup(store, filter);

        for (var i = 0; i < 20; i++)
        {
            await lookup.FindAsync(Tenant, $"nope{i}", CancellationToken.None);
            await Task.Delay(5);
        }

        Assert.Equal(20, lookup.StoreReads);
        Assert.Equal(0, lookup.Filtered);
    }

    /// <summary>The legacy store, asking the probe when it has inserted a learned link (before the source invalidates the cache).</summary>
    private sealed class ProbingLegacyStore(ILegacyStore inner, Func<bool> probe) : ILegacyStore
    {
        public bool MayExistDuringInsert { get; private set; }

        public async Task<bool> LearnAsync(string tenant, LearnedLink link, CancellationToken cancellationToken)
        {
            var added = await inner.LearnAsync(tenant, link, cancellationToken);
            MayExistDuringInsert = probe();
            return added;
        }

        public Task<LegacySettings?> GetSettingsAsync(string tenant, CancellationToken cancellationToken) => inner.GetSettingsAsync(tenant, cancellationToken);

        public Task SaveSettingsAsync(string tenant, LegacySettings settings, CancellationToken cancellationToken) =>
            inner.SaveSettingsAsync(tenant, settings, cancellationToken);

        public Task<LegacyCounts> CountAsync(string tenant, DateTimeOffset from, DateTimeOffset to, int legacyFlag, CancellationToken cancellationToken) =>
            inner.CountAsync(tenant, from, to, legacyFlag, cancellationToken);

        public Task<IReadOnlyList<LegacyCodeCount>> TopCodesAsync(
            string tenant, DateTimeOffset from, DateTimeOffset to, int legacyFlag, int limit, CancellationToken cancellationToken) =>
            inner.TopCodesAsync(tenant, from, to, legacyFlag, limit, cancellationToken);
    }
}
