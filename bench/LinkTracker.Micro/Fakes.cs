using LinkTracker.Core.Links;
using LinkTracker.Core.Tenants;
using LinkTracker.Links;
using LinkTracker.Tenants;

namespace LinkTracker.Micro;

/// <summary>A catalog of <paramref name="count"/> tenants named tenant-0, tenant-1, ...</summary>
public sealed class FakeCatalog(int count) : ITenantSource
{
    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Tenant>>([.. Enumerable.Range(0, count).Select(i => new Tenant($"tenant-{i}", $"Tenant {i}", DateTimeOffset.UnixEpoch))]);
}

/// <summary>Every code exists and points to the same destination; only the cache's miss path calls it.</summary>
public sealed class FakeLinkStore : ILinkLookup
{
    private static readonly SharedLink Landing = new(true, "https://example.com/landing", null, false);

    public Task<SharedLink> FindAsync(string tenant, string code, CancellationToken cancellationToken) => Task.FromResult(Landing);
}
