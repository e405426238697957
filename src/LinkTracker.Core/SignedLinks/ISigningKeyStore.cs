namespace LinkTracker.Core.SignedLinks;

/// <summary>
/// Tenants' link signing keys, in the catalog (ADR 26) so that one read gives every tenant's keys to the edges with the
/// tenant snapshot. Adapters store the secret as given (already encrypted) and run SQL only.
/// </summary>
public interface ISigningKeyStore
{
    /// <returns>false when the tenant already has a key with that id.</returns>
    Task<bool> AddAsync(StoredSigningKey key, CancellationToken cancellationToken);

    /// <summary>The keys of <paramref name="tenant"/>, or of every tenant when null, oldest first.</summary>
    Task<IReadOnlyList<StoredSigningKey>> ListAsync(string? tenant, CancellationToken cancellationToken);

    /// <returns>false when the tenant has no key with that id.</returns>
    Task<bool> DeleteAsync(string tenant, string id, CancellationToken cancellationToken);
}
