using LinkTracker.Core.Tenants;

namespace LinkTracker.Tenants;

/// <summary>The tenant list straight from the catalog: every node that holds database credentials.</summary>
public sealed class CatalogTenantSource(ICatalogStore catalog) : ITenantSource
{
    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken) => catalog.ListTenantsAsync(cancellationToken);
}
