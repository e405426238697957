using System.Collections.Concurrent;
using LinkTracker.Core.Links;
using Microsoft.Extensions.Options;

namespace LinkTracker.Links;

/// <summary>
/// Which codes each tenant has, as a Bloom filter, on the nodes that read the store: a code the filter never saw is
/// missing without a store read, so a scanner's random codes cost no database reads. Built from the store at a
/// tenant's first miss and again every LinkCache:CodeFilterRefreshSeconds. A code is added before its insert (and
/// kept aside while a build reads the store), and codes created on other nodes arrive with the shared cache's
/// invalidation broadcast, so the filter never says "missing" for a link a redirect could find.
/// </summary>
public sealed partial class LinkCodeFilter(ILinkStore store, IOptions<LinkCacheOptions> options, TimeProvider time, ILogger<LinkCodeFilter> logger)
{
    private readonly ConcurrentDictionary<string, TenantCodes> _tenants = new(StringComparer.Ordinal);
    private bool Enabled => options.Value.CodeFilterRefreshSeconds > 0;

    /// <summary>False only when the tenant certainly has no such code; starts a build when there is none or it is old.</summary>
    public bool MayExist(string tenant, string code)
    {
        if (!Enabled)
        {
            return true;
        }

        var codes = _tenants.GetOrAdd(tenant, _ => new TenantCodes());
        var filter = codes.Filter;
        if (filter is null || filter.Count > filter.Capacity || time.GetUtcNow() - codes.BuiltAt > TimeSpan.FromSeconds(options.Value.CodeFilterRefreshSeconds))
        {
            StartBuild(tenant, codes);
        }

        return filter is null || filter.MayContain(code);
    }

    /// <summary>Call before inserting the codes; dispose after the insert finished (committed or not).</summary>
    public IDisposable Inserting(string tenant, IReadOnlyCollection<string> codes)
    {
        var entry = _tenants.GetOrAdd(tenant, _ => new TenantCodes());
        lock (entry)
        {
            foreach (var code in codes)
            {
                entry.InFlight[code] = entry.InFlight.GetValueOrDefault(code) + 1;
                entry.Present(code);
            }
        }

        return new InsertScope(entry, codes);
    }

    /// <summary>Drops every tenant's filter, rebuilt at its next miss (broadcasts may have been missed).</summary>
    public void Refresh()
    {
        foreach (var codes in _tenants.Values)
        {
            lock (codes)
            {
                // Until rebuilt, every miss reads the store; a build under way may have read before what was missed.
                codes.Filter = null;
                codes.Generation++;
            }
        }
    }

    /// <summary>A code created elsewhere (the invalidation broadcast): present from now on.</summary>
    public void Add(string tenant, string code)
    {
        if (!_tenants.TryGetValue(tenant, out var entry))
        {
            return; // no filter yet: its build reads the code from the store
        }

        lock (entry)
        {
            entry.Present(code);
        }
    }

    private void StartBuild(string tenant, TenantCodes codes)
    {
        lock (codes)
        {
            if (codes.Building is not null || time.GetUtcNow() < codes.RetryAt)
            {
                return;
            }

            // Codes whose insert is under way may commit after the store read below has taken its snapshot.
            codes.Building = [.. codes.InFlight.Keys];
        }

        _ = Task.Run(() => BuildAsync(tenant, codes));
    }

    private async Task BuildAsync(string tenant, TenantCodes codes)
    {
        long generation;
        lock (codes)
        {
            generation = codes.Generation;
        }

        var read = new List<string>();
        try
        {
            await store.ReadCodesAsync(tenant, read.Add, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogBuildFailed(logger, ex, tenant);
            lock (codes)
            {
                codes.Building = null;
                codes.RetryAt = time.GetUtcNow().AddSeconds(5);
            }

            return;
        }

        lock (codes)
        {
            if (codes.Generation != generation)
            {
                codes.Building = null;
                return;
            }

            var filter = new CodeBloomFilter(2 * (read.Count + codes.Building!.Count));
            read.ForEach(filter.Add);
            codes.Building.ForEach(filter.Add);
            codes.Filter = filter;
            codes.BuiltAt = time.GetUtcNow();
            codes.Building = null;
        }
    }

    private sealed class TenantCodes
    {
        public CodeBloomFilter? Filter { get; set; }

        public DateTimeOffset BuiltAt { get; set; }

        /// <summary>While a build reads the store: codes to add to the new filter when it is done.</summary>
        public List<string>? Building { get; set; }

        /// <summary>Codes being inserted right now, with how many inserts carry each.</summary>
        public Dictionary<string, int> InFlight { get; } = new(StringComparer.Ordinal);

        /// <summary>Under the entry's lock: the code is in the filter now and in the one being built.</summary>
        public void Present(string code)
        {
            Filter?.Add(code);
            Building?.Add(code);
        }

        /// <summary>Bumped when the filter is dropped: a build that started before does not install its result.</summary>
        public long Generation { get; set; }

        /// <summary>After a failed build, no new one before this.</summary>
        public DateTimeOffset RetryAt { get; set; }
    }

    private sealed class InsertScope(TenantCodes entry, IReadOnlyCollection<string> codes) : IDisposable
    {
        public void Dispose()
        {
            lock (entry)
            {
                foreach (var code in codes)
                {
                    if (--entry.InFlight[code] == 0)
                    {
                        entry.InFlight.Remove(code);
                    }
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the codes of tenant {Tenant} for its code filter; its misses read the store until the next try")]
    private static partial void LogBuildFailed(ILogger logger, Exception exception, string tenant);
}
