using LinkTracker.Core.Common;
using LinkTracker.Core.Links;
using LinkTracker.Core.Tenants;

namespace LinkTracker.Micro;

/// <summary>A catalog of <paramref name="count"/> tenants named tenant-0, tenant-1, ...</summary>
public sealed class FakeCatalog(int count) : ICatalogStore
{
    public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Tenant>>([.. Enumerable.Range(0, count).Select(i => new Tenant($"tenant-{i}", $"Tenant {i}", DateTimeOffset.UnixEpoch))]);

    public Task<bool> AddTenantAsync(Tenant tenant, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task AddApiKeyAsync(ApiKey key, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ApiKey?> FindApiKeyAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string tenant, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> RevokeApiKeyAsync(string tenant, string id, DateTimeOffset at, CancellationToken cancellationToken) => throw new NotSupportedException();
}

/// <summary>Every code exists and points to the same destination; only the cache's miss path calls it.</summary>
public sealed class FakeLinkStore : ILinkStore
{
    public Task<Link?> FindAsync(string tenant, string code, CancellationToken cancellationToken) =>
        Task.FromResult<Link?>(new Link(code, "https://example.com/landing", [], null, null, false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch));

    public Task<IReadOnlyList<string>> InsertAsync(string tenant, IReadOnlyList<Link> links, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> ExistsAsync(string tenant, string code, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Page<Link>> ListAsync(string tenant, LinkQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> UpdateAsync(string tenant, Link link, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(string tenant, string code, DateTimeOffset at, CancellationToken cancellationToken) => throw new NotSupportedException();
}
