namespace LinkTracker.Core.Tenants;

/// <summary>A client of the SaaS; its slug is the first label of its host name.</summary>
public sealed record Tenant(string Slug, string Name, DateTimeOffset CreatedAt);
