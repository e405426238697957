namespace LinkTracker.Core.SignedLinks;

/// <summary>A signing key as the catalog holds it: <see cref="ProtectedSecret"/> is the Data Protection ciphertext of the 32 bytes.</summary>
public sealed record StoredSigningKey(string Tenant, string Id, string ProtectedSecret, DateTimeOffset CreatedAt);
