namespace LinkTracker.Core.Tenants;

/// <summary>Creates and upgrades a tenant's own storage (a database file, or a schema and role).</summary>
public interface ITenantProvisioner
{
    Task ProvisionAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Replaces the tenant's own database credential, where the engine has one (PostgreSQL: its login's password).</summary>
    /// <returns>false when the engine has no per-tenant credential (SQLite: a file).</returns>
    Task<bool> RotateCredentialsAsync(string tenant, CancellationToken cancellationToken);
}
