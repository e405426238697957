using System.Collections.Frozen;
using LinkTracker.Core.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.Tenants;

/// <summary>
/// The in-memory snapshot of the catalog's tenants and the host → tenant resolution of every request.
/// Resolution allocates nothing; an unknown host triggers at most one reload per second.
/// </summary>
public sealed class TenantDirectory(ICatalogStore catalog, IOptions<TenantOptions> options, TimeProvider time) : IDisposable
{
    private readonly string _suffix = "." + options.Value.BaseDomain;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private FrozenDictionary<string, Tenant> _tenants = FrozenDictionary<string, Tenant>.Empty;
    private long _lastReloadTimestamp;

    public int Count => _tenants.Count;

    /// <summary>The tenant whose host this is (port ignored), or null.</summary>
    public Tenant? Resolve(ReadOnlySpan<char> host)
    {
        var slug = SlugOf(host);
        return slug.IsEmpty ? null : _tenants.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(slug, out var tenant) ? tenant : null;
    }

    /// <summary>Like <see cref="Resolve"/>, but reloads the catalog once (rate-limited) when the host is unknown.</summary>
    public async ValueTask<Tenant?> ResolveOrReloadAsync(string host, CancellationToken cancellationToken)
    {
        var tenant = Resolve(host);
        if (tenant is not null || SlugOf(host).IsEmpty)
        {
            return tenant;
        }

        if (time.GetElapsedTime(Interlocked.Read(ref _lastReloadTimestamp)) > TimeSpan.FromSeconds(1))
        {
            await ReloadAsync(cancellationToken);
        }

        return Resolve(host);
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            var tenants = await catalog.ListTenantsAsync(cancellationToken);
            _tenants = tenants.ToFrozenDictionary(t => t.Slug, StringComparer.OrdinalIgnoreCase);
            Interlocked.Exchange(ref _lastReloadTimestamp, time.GetTimestamp());
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose() => _reload.Dispose();

    private ReadOnlySpan<char> SlugOf(ReadOnlySpan<char> host)
    {
        var colon = host.LastIndexOf(':');
        if (colon >= 0 && host.IndexOf(']') < 0)
        {
            host = host[..colon];
        }

        if (host.Length <= _suffix.Length || !host.EndsWith(_suffix, StringComparison.OrdinalIgnoreCase))
        {
            return default;
        }

        var slug = host[..^_suffix.Length];
        return slug.Contains('.') ? default : slug;
    }
}
