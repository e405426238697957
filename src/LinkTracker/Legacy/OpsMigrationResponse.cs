namespace LinkTracker.Legacy;

/// <summary>The migration view of every tenant that has a legacy system configured.</summary>
public sealed record OpsMigrationResponse(IReadOnlyList<MigrationResponse> Tenants);
