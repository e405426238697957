namespace LinkTracker.Runbook;

/// <summary>What one node added to a tenant's activity of one kind since it last told the others.</summary>
public sealed record ActivityDelta(string Tenant, TenantActivityKind Kind, long Amount);
