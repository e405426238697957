namespace LinkTracker.Core.Tenants;

/// <summary>The catalog: which tenants exist and which API keys they own.</summary>
public interface ICatalogStore
{
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken);

    /// <returns>false when a tenant with that slug already exists.</returns>
    Task<bool> AddTenantAsync(Tenant tenant, CancellationToken cancellationToken);

    Task AddApiKeyAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>The key whose secret hashes to <paramref name="secretHash"/> (SHA-256), revoked or not.</summary>
    /// <param name="secretHash">The SHA-256 of the token's secret.</param>
    /// <param name="legacyId">The id carried by a key of an earlier release, for a catalog one version behind during a
    /// rolling upgrade (PostgreSQL); null for current keys.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>null when no key has it; the store compares the hashes, so no caller ever reads a stored one.</returns>
    Task<ApiKey?> FindApiKeyAsync(byte[] secretHash, string? legacyId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string tenant, CancellationToken cancellationToken);

    /// <returns>false when the key does not exist for that tenant or was already revoked.</returns>
    Task<bool> RevokeApiKeyAsync(string tenant, string id, DateTimeOffset at, CancellationToken cancellationToken);
}
