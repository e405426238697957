namespace LinkTracker.Core.Tenants;

/// <summary>Creates and upgrades a tenant's own storage (a database file, or a schema and role).</summary>
public interface ITenantProvisioner
{
    Task ProvisionAsync(string tenant, CancellationToken cancellationToken);
}
