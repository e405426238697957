namespace LinkTracker.Core.Tenants;

/// <summary>A tenant API key as stored: never the secret, only its SHA-256.</summary>
public sealed record ApiKey(string Id, string Tenant, byte[] SecretHash, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
