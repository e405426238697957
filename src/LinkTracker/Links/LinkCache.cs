using System.Collections.Concurrent;
using BitFaster.Caching;
using BitFaster.Caching.Lru;
using LinkTracker.Core.Links;
using LinkTracker.Runbook;
using Microsoft.Extensions.Options;

namespace LinkTracker.Links;

/// <summary>
/// The redirect's link lookup: a bounded in-process LRU of known links and a separate bounded one of unknown
/// codes; on a miss, the shared cache (Redis, when configured), then the store. Changes through the API
/// invalidate at once, on every node through the shared cache's broadcast.
/// </summary>
public sealed partial class LinkCache
{
    private const int MaxUnsentInvalidations = 100_000;

    private readonly ILinkLookup _lookup;
    private readonly ISharedLinkCache? _shared;
    private readonly LinkCodeFilter? _codes;
    private readonly TenantActivity? _activity;
    private readonly ILogger<LinkCache> _logger;
    private readonly LinkCacheOptions _options;
    private readonly ICache<LinkKey, CachedLink> _links;
    private readonly ICache<LinkKey, bool> _unknown;
    private readonly ConcurrentDictionary<LinkKey, bool> _unsentInvalidations = new();
    private int _retrying;
    private long _storeReads;
    private long _sharedHits;

    public LinkCache(ILinkLookup lookup, IOptions<LinkCacheOptions> options, ILogger<LinkCache> logger, ISharedLinkCache? shared = null, LinkCodeFilter? codes = null, TenantActivity? activity = null)
    {
        _codes = codes;
        _activity = activity;
        _options = options.Value;
        _lookup = lookup;
        _shared = shared;
        _logger = logger;
        _links = new ConcurrentLruBuilder<LinkKey, CachedLink>()
            .WithCapacity(_options.Capacity).WithExpireAfterWrite(TimeSpan.FromSeconds(_options.TtlSeconds)).WithMetrics().Build();
        _unknown = new ConcurrentLruBuilder<LinkKey, bool>()
            .WithCapacity(_options.NegativeCapacity).WithExpireAfterWrite(TimeSpan.FromSeconds(_options.NegativeTtlSeconds)).Build();
    }

    /// <summary>Reads that reached the store (or, on an edge, the api nodes): near zero in steady state.</summary>
    public long StoreReads => Interlocked.Read(ref _storeReads);

    /// <summary>Misses of this node answered by the shared cache.</summary>
    public long SharedHits => Interlocked.Read(ref _sharedHits);

    public double HitRatio => _links.Metrics.Value?.HitRatio ?? 0;

    public int Count => _links.Count;

    /// <summary>Lookups of known links since start (hits and misses), for the doctor.</summary>
    public long Lookups => _links.Metrics.Value?.Total ?? 0;

    /// <summary>Links evicted to make room since start: many while the hit ratio is low means the cache is too small.</summary>
    public long Evictions => _links.Metrics.Value?.Evicted ?? 0;

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

    /// <summary>
    /// Forgets the link here and, through the shared cache, on every node. When the shared cache is down the change
    /// still stands: the invalidation is sent again once the connection is back.
    /// </summary>
    public async Task InvalidateAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        InvalidateLocal(tenant, code);
        if (_shared is null)
        {
            return;
        }

        try
        {
            await _shared.InvalidateAsync(tenant, code, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Defer(new LinkKey(tenant, code));
            LogInvalidationDeferred(_logger, ex, tenant, code);
        }
    }

    /// <summary>
    /// The shared cache is reachable again after a loss: broadcasts of the outage may have been missed, so this node
    /// forgets what it cached, and sends the invalidations it could not send.
    /// </summary>
    public void SharedCacheRestored()
    {
        _links.Clear();
        _unknown.Clear();
        _codes?.Refresh();
        _ = SendUnsentAsync();
    }

    /// <summary>Keeps an invalidation to send again, and makes sure something retries it (every 5 s until sent).</summary>
    private void Defer(LinkKey key)
    {
        if (_unsentInvalidations.Count < MaxUnsentInvalidations)
        {
            _unsentInvalidations.TryAdd(key, true);
        }

        if (Interlocked.Exchange(ref _retrying, 1) == 0)
        {
            _ = RetryUnsentAsync();
        }
    }

    private async Task RetryUnsentAsync()
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            await SendUnsentAsync();
            Volatile.Write(ref _retrying, 0);
            if (_unsentInvalidations.IsEmpty || Interlocked.Exchange(ref _retrying, 1) != 0)
            {
                return;
            }
        }
    }

    /// <summary>Sends the held-back invalidations; stops at the first failure (the rest waits for the next round).</summary>
    private async Task SendUnsentAsync()
    {
        foreach (var key in _unsentInvalidations.Keys)
        {
            _unsentInvalidations.TryRemove(key, out _);
            try
            {
                await _shared!.InvalidateAsync(key.Tenant, key.Code, CancellationToken.None);
            }
            catch (Exception ex)
            {
                Defer(key);
                LogInvalidationDeferred(_logger, ex, key.Tenant, key.Code);
                return;
            }
        }
    }

    /// <summary>Forgets the link in this process only (an invalidation broadcast from another node, which may have created it).</summary>
    public void InvalidateLocal(string tenant, string code)
    {
        _codes?.Add(tenant, code);
        var key = new LinkKey(tenant, code);
        _links.TryRemove(key);
        _unknown.TryRemove(key);
    }

    private async ValueTask<CachedLink?> LoadAsync(LinkKey key, CancellationToken cancellationToken)
    {
        if (await ReadSharedAsync(key, cancellationToken) is { } shared)
        {
            Interlocked.Increment(ref _sharedHits);
            return Remember(key, shared);
        }

        Interlocked.Increment(ref _storeReads);
        var entry = await _lookup.FindAsync(key.Tenant, key.Code, cancellationToken);
        if (entry.Exists)
        {
            // A miss is not shared: a node whose filter has not heard of a link created a moment ago would
            // otherwise make every node answer 404 for it (ADR 10). Each node remembers its own misses.
            await WriteSharedAsync(key, entry, cancellationToken);
        }

        return Remember(key, entry);
    }

    private CachedLink? Remember(LinkKey key, SharedLink entry)
    {
        if (!entry.Exists)
        {
            _activity?.Add(key.Tenant, TenantActivityKind.UnknownCodes); // a miss only: cached answers cost nothing more
            _unknown.AddOrUpdate(key, true);
            return null;
        }

        var cached = new CachedLink(entry.Destination!, entry.ExpiresAt, entry.Disabled, entry.Status);
        _links.AddOrUpdate(key, cached);
        return cached;
    }

    // The shared cache is an optimisation: when it fails, redirects go on from the store.
    private async Task<SharedLink?> ReadSharedAsync(LinkKey key, CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return null;
        }

        try
        {
            return await _shared.GetAsync(key.Tenant, key.Code, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSharedCacheFailed(_logger, ex);
            return null;
        }
    }

    private async Task WriteSharedAsync(LinkKey key, SharedLink entry, CancellationToken cancellationToken)
    {
        if (_shared is null)
        {
            return;
        }

        try
        {
            var ttl = TimeSpan.FromSeconds(entry.Exists ? _options.TtlSeconds : _options.NegativeTtlSeconds);
            await _shared.SetAsync(key.Tenant, key.Code, entry, ttl, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSharedCacheFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared link cache is down: the change of {Tenant}/{Code} reaches other nodes when it is back")]
    private static partial void LogInvalidationDeferred(ILogger logger, Exception exception, string tenant, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared link cache failed; reading the store instead")]
    private static partial void LogSharedCacheFailed(ILogger logger, Exception exception);
}
