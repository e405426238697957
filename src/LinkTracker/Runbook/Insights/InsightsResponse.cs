namespace LinkTracker.Runbook.Insights;

/// <summary>GET /api/insights: the tenant's costly habits over the last <paramref name="WindowMinutes"/> minutes; empty when there are none.</summary>
public sealed record InsightsResponse(string Tenant, double WindowMinutes, IReadOnlyList<Insight> Insights);
