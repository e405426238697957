using LinkTracker.Tenants;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinkTracker.Runbook;

/// <summary>Ready when the tenant list can be read: from the catalog, or on an edge node from the api nodes.</summary>
internal sealed class CatalogHealthCheck(ITenantSource catalog) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var tenants = await catalog.ListTenantsAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{tenants.Count} tenants");
        }
        catch (Exception ex)
        {
            // The reason without the exception: a readiness probe every few seconds must not print a stack trace each time.
            return HealthCheckResult.Unhealthy($"The tenant list cannot be read ({ex.Message}). Check the catalog database (data folder or PostgreSQL), or on an edge node Internal:ApiUrls and Internal:Token.");
        }
    }
}
