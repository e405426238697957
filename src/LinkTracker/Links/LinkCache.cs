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
/// invalidate at once, on every node through the shared cache's confirmed broadcast. Entries are versioned
/// (ADR 0021): a load reads its code's generation first and is not kept if a change bumped it meanwhile. While the
/// shared cache cannot be reached, an entry is trusted at most <see cref="LinkCacheOptions.StaleBoundWhenSharedCacheDown"/>.
/// </summary>
public sealed partial class LinkCache
{
    private const int MaxUnsentInvalidations = 100_000;

    // Generations per stripe of codes, not per code: bounded memory; a change to a code of the same stripe only
    // makes a racing load go uncached once.
    private const int Stripes = 4096;

    private readonly ILinkLookup _lookup;
    private readonly ISharedLinkCache? _shared;
    private readonly LinkCodeFilter? _codes;
    private readonly TenantActivity? _activity;
    private readonly ILogger<LinkCache> _logger;
    private readonly LinkCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly long _staleBound;
    private readonly ICache<LinkKey, Entry> _links;
    private readonly ICache<LinkKey, long> _unknown;
    private readonly long[] _generations = new long[Stripes];
    private readonly ConcurrentDictionary<LinkKey, bool> _unsentInvalidations = new();
    private long _sharedConfirmedAt;
    private int _retrying;
    private long _storeReads;
    private long _sharedHits;
    private long _discardedLoads;

    public LinkCache(
        ILinkLookup lookup,
        IOptions<LinkCacheOptions> options,
        ILogger<LinkCache> logger,
        ISharedLinkCache? shared = null,
        LinkCodeFilter? codes = null,
        TenantActivity? activity = null,
        TimeProvider? time = null)
    {
        _codes = codes;
        _activity = activity;
        _options = options.Value;
        _lookup = lookup;
        _shared = shared;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _staleBound = (long)(_options.StaleBoundWhenSharedCacheDown.TotalSeconds * _time.TimestampFrequency);
        _sharedConfirmedAt = _time.GetTimestamp();
        _links = new ConcurrentLruBuilder<LinkKey, Entry>()
            .WithCapacity(_options.Capacity).WithExpireAfterWrite(TimeSpan.FromSeconds(_options.TtlSeconds)).WithMetrics().Build();
        _unknown = new ConcurrentLruBuilder<LinkKey, long>()
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

    /// <summary>Loads that lost the race with a change of their code, and were therefore not kept.</summary>
    public long DiscardedLoads => Interlocked.Read(ref _discardedLoads);

    /// <returns>The link, or null when the tenant has no such code (deleted links included).</returns>
    public ValueTask<CachedLink?> GetAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        var key = new LinkKey(tenant, code);
        if (_links.TryGet(key, out var entry) && Trusted(entry.LoadedAt))
        {
            return ValueTask.FromResult<CachedLink?>(entry.Link);
        }

        return _unknown.TryGet(key, out var missedAt) && Trusted(missedAt) ? ValueTask.FromResult<CachedLink?>(null) : LoadAsync(key, cancellationToken);
    }

    /// <summary>
    /// A round trip over the shared cache's broadcast connection succeeded: every change broadcast before
    /// <paramref name="sentAt"/> (a <see cref="TimeProvider.GetTimestamp"/>) has reached this node.
    /// </summary>
    public void SharedCacheConfirmed(long sentAt)
    {
        var current = Volatile.Read(ref _sharedConfirmedAt);
        while (sentAt > current)
        {
            var seen = Interlocked.CompareExchange(ref _sharedConfirmedAt, sentAt, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Without a shared cache this node hears of every change itself. With one, an entry is trusted while the shared
    /// cache was heard from within the bound, or for the bound after it was loaded.
    /// </summary>
    private bool Trusted(long loadedAt)
    {
        if (_shared is null)
        {
            return true;
        }

        var now = _time.GetTimestamp();
        return now - Volatile.Read(ref _sharedConfirmedAt) <= _staleBound || now - loadedAt <= _staleBound;
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
            if (!await _shared.InvalidateAsync(tenant, code, cancellationToken))
            {
                LogInvalidationUnconfirmed(_logger, tenant, code);
            }
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
        for (var i = 0; i < Stripes; i++)
        {
            Interlocked.Increment(ref _generations[i]); // loads begun before are not kept either
        }

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
                _ = await _shared!.InvalidateAsync(key.Tenant, key.Code, CancellationToken.None);
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
        var key = new LinkKey(tenant, code);
        Interlocked.Increment(ref _generations[Stripe(key)]); // first: a load that has begun must see the change
        _codes?.Add(tenant, code);
        _links.TryRemove(key);
        _unknown.TryRemove(key);
    }

    private static int Stripe(LinkKey key) => key.GetHashCode() & (Stripes - 1);

    private async ValueTask<CachedLink?> LoadAsync(LinkKey key, CancellationToken cancellationToken)
    {
        var stripe = Stripe(key);
        var generation = Volatile.Read(ref _generations[stripe]);
        var loadedAt = _time.GetTimestamp();
        var shared = await ReadSharedAsync(key, cancellationToken);
        if (shared?.Link is { } hit)
        {
            Interlocked.Increment(ref _sharedHits);
            return Remember(key, hit, stripe, generation, loadedAt);
        }

        Interlocked.Increment(ref _storeReads);
        var entry = await _lookup.FindAsync(key.Tenant, key.Code, cancellationToken);
        if (entry.Exists && shared is { } read)
        {
            // A miss is not shared: a node whose filter has not heard of a link created a moment ago would
            // otherwise make every node answer 404 for it (ADR 10). Each node remembers its own misses.
            await WriteSharedAsync(key, entry, read.Generation, cancellationToken);
        }

        return Remember(key, entry, stripe, generation, loadedAt);
    }

    /// <summary>Keeps what was loaded unless a change of the code came in since the load began (then it is answered once, not kept).</summary>
    private CachedLink? Remember(LinkKey key, SharedLink entry, int stripe, long generation, long loadedAt)
    {
        CachedLink? cached = null;
        if (!entry.Exists)
        {
            _activity?.Add(key.Tenant, TenantActivityKind.UnknownCodes); // a miss only: cached answers cost nothing more
            _unknown.AddOrUpdate(key, loadedAt);
        }
        else
        {
            cached = new CachedLink(entry.Destination!, entry.ExpiresAt, entry.Disabled, entry.Status, entry.MaxVisits, entry.Version, entry.Rules);
            _links.AddOrUpdate(key, new Entry(cached, loadedAt));
        }

        // Checked after adding: a change that bumps the generation before this check is seen here, one after it
        // removes the entry itself.
        if (Volatile.Read(ref _generations[stripe]) != generation)
        {
            Interlocked.Increment(ref _discardedLoads);
            _links.TryRemove(key);
            _unknown.TryRemove(key);
        }

        return cached;
    }

    // The shared cache is an optimisation: when it fails, redirects go on from the store.
    private async Task<SharedLinkRead?> ReadSharedAsync(LinkKey key, CancellationToken cancellationToken)
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

    private async Task WriteSharedAsync(LinkKey key, SharedLink entry, long generation, CancellationToken cancellationToken)
    {
        try
        {
            await _shared!.SetAsync(key.Tenant, key.Code, entry, generation, TimeSpan.FromSeconds(_options.TtlSeconds), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSharedCacheFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not every node confirmed the change of {Tenant}/{Code} in time; a node that lost its connection trusts its copy at most LinkCache:StaleBoundWhenSharedCacheDown")]
    private static partial void LogInvalidationUnconfirmed(ILogger logger, string tenant, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared link cache is down: the change of {Tenant}/{Code} reaches other nodes when it is back")]
    private static partial void LogInvalidationDeferred(ILogger logger, Exception exception, string tenant, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared link cache failed; reading the store instead")]
    private static partial void LogSharedCacheFailed(ILogger logger, Exception exception);

    /// <summary>A cached link and when its load began (a <see cref="TimeProvider.GetTimestamp"/>).</summary>
    private sealed record Entry(CachedLink Link, long LoadedAt);
}
