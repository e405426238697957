namespace LinkTracker.SignedLinks;

/// <summary>A tenant's signing key in the clear: only in memory, and from the api nodes to the edges over the internal API.</summary>
public sealed record SigningKey(string Tenant, string Id, byte[] Secret, DateTimeOffset CreatedAt);
