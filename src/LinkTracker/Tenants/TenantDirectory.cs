using System.Collections.Frozen;
using LinkTracker.Core.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.Tenants;

/// <summary>
/// The in-memory snapshot of the catalog's tenants and the host → tenant resolution of every request.
/// Resolution allocates nothing; an unknown host triggers at most one reload per second.
/// </summary>
public sealed class TenantDirectory(ITenantSource source, IOptions<TenantOptions> options, TimeProvider time) : IDisposable
{
    private readonly string _suffix = "." + options.Value.BaseDomain;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private FrozenDictionary<string, Tenant> _tenants = FrozenDictionary<string, Tenant>.Empty;
    private long _lastReloadTimestamp;
    private long _reloadsStarted;

    public int Count => _tenants.Count;

    /// <summary>The tenant whose host this is (port ignored), or null.</summary>
    public Tenant? Resolve(ReadOnlySpan<char> host)
    {
        var slug = SlugOf(host);
        return slug.IsEmpty ? null : _tenants.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(slug, out var tenant) ? tenant : null;
    }

    /// <summary>
    /// Like <see cref="Resolve"/>, but on an unknown host reads the catalog again, at most once a second for all
    /// callers together, and always after this call began: a tenant added just before is found.
    /// </summary>
    public async ValueTask<Tenant?> ResolveOrReloadAsync(string host, CancellationToken cancellationToken)
    {
        var tenant = Resolve(host);
        if (tenant is not null || SlugOf(host).IsEmpty)
        {
            return tenant;
        }

        var asked = Interlocked.Read(ref _reloadsStarted);
        var wait = TimeSpan.FromSeconds(1) - time.GetElapsedTime(Interlocked.Read(ref _lastReloadTimestamp));
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have reloaded since this one asked: then its answer is fresh enough.
            if (Interlocked.Read(ref _reloadsStarted) == asked)
            {
                await ReloadLockedAsync(cancellationToken);
            }
        }
        finally
        {
            _reload.Release();
        }

        return Resolve(host);
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            await ReloadLockedAsync(cancellationToken);
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose() => _reload.Dispose();

    private async Task ReloadLockedAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        Interlocked.Increment(ref _reloadsStarted);
        var tenants = await source.ListTenantsAsync(cancellationToken);
        _tenants = tenants.ToFrozenDictionary(t => t.Slug, StringComparer.OrdinalIgnoreCase);
        Interlocked.Exchange(ref _lastReloadTimestamp, started);
    }

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
