using BitFaster.Caching;
using BitFaster.Caching.Lru;
using LinkTracker.Core.Links;
using Microsoft.Extensions.Options;

namespace LinkTracker.Links;

/// <summary>
/// The redirect's link lookup: bounded in-process LRU of known links, a separate bounded one of unknown
/// codes, the store only on a miss. Writes through the API invalidate the entry at once.
/// </summary>
public sealed class LinkCache
{
    private readonly ILinkStore _store;
    private readonly ICache<LinkKey, CachedLink> _links;
    private readonly ICache<LinkKey, bool> _unknown;
    private long _storeReads;

    public LinkCache(ILinkStore store, IOptions<LinkCacheOptions> options)
    {
        var o = options.Value;
        _store = store;
        _links = new ConcurrentLruBuilder<LinkKey, CachedLink>()
            .WithCapacity(o.Capacity).WithExpireAfterWrite(TimeSpan.FromSeconds(o.TtlSeconds)).WithMetrics().Build();
        _unknown = new ConcurrentLruBuilder<LinkKey, bool>()
            .WithCapacity(o.NegativeCapacity).WithExpireAfterWrite(TimeSpan.FromSeconds(o.NegativeTtlSeconds)).Build();
    }

    /// <summary>Reads that reached the store: near zero in steady state.</summary>
    public long StoreReads => Interlocked.Read(ref _storeReads);

    public double HitRatio => _links.Metrics.Value?.HitRatio ?? 0;

    public int Count => _links.Count;

    /// <returns>The link, or null when the tenant has no such code (deleted links included).</returns>
    public ValueTask<CachedLink?> GetAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        var key = new LinkKey(tenant, code);
        if (_links.TryGet(key, out var link))
        {
            return ValueTask.FromResult<CachedLink?>(link);
        }

        return _unknown.TryGet(key, out _) ? ValueTask.FromResult<CachedLink?>(null) : LoadAsync(key, cancellationToken);
    }

    public void Invalidate(string tenant, string code)
    {
        var key = new LinkKey(tenant, code);
        _links.TryRemove(key);
        _unknown.TryRemove(key);
    }

    private async ValueTask<CachedLink?> LoadAsync(LinkKey key, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _storeReads);
        var link = await _store.FindAsync(key.Tenant, key.Code, cancellationToken);
        if (link is null)
        {
            _unknown.AddOrUpdate(key, true);
            return null;
        }

        var cached = CachedLink.From(link);
        _links.AddOrUpdate(key, cached);
        return cached;
    }
}
