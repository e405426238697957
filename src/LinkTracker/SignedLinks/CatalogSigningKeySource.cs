using LinkTracker.Core.SignedLinks;

namespace LinkTracker.SignedLinks;

/// <summary>Every tenant's signing keys from the catalog, decrypted: nodes that hold database credentials and the key folder.</summary>
public sealed class CatalogSigningKeySource(ISigningKeyStore store, SigningKeySecrets secrets) : ISigningKeySource
{
    public async Task<IReadOnlyList<SigningKey>> ListSigningKeysAsync(CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(null, cancellationToken)).Select(k => new SigningKey(k.Tenant, k.Id, secrets.Reveal(k.ProtectedSecret), k.CreatedAt))];
}
