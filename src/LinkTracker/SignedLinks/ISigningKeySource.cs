namespace LinkTracker.SignedLinks;

/// <summary>Where the key ring reads every tenant's signing keys: the catalog, or on an edge node the api nodes.</summary>
public interface ISigningKeySource
{
    Task<IReadOnlyList<SigningKey>> ListSigningKeysAsync(CancellationToken cancellationToken);
}
