using LinkTracker.Core.Tenants;

namespace LinkTracker.Tenants;

/// <summary>Where the tenant directory reads the tenant list: the catalog, or on an edge node the api nodes.</summary>
public interface ITenantSource
{
    Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken);
}
