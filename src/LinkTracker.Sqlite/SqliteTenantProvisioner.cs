using LinkTracker.Core.Tenants;

namespace LinkTracker.Sqlite;

/// <summary>A tenant's storage is its own database file, created and migrated here.</summary>
public sealed class SqliteTenantProvisioner(SqliteDatabases databases) : ITenantProvisioner
{
    public async Task ProvisionAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await databases.OpenTenantAsync(tenant, cancellationToken);
    }

    /// <summary>A file has no credential of its own: the data folder's permissions are the boundary.</summary>
    public Task<bool> RotateCredentialsAsync(string tenant, CancellationToken cancellationToken) => Task.FromResult(false);
}
