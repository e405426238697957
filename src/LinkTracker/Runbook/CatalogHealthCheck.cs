using LinkTracker.Core.Tenants;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinkTracker.Runbook;

/// <summary>Ready when the catalog answers: tenants and keys come from it.</summary>
internal sealed class CatalogHealthCheck(ICatalogStore catalog) : IHealthCheck
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
            return HealthCheckResult.Unhealthy("The catalog cannot be read. Check the data folder's disk and permissions.", ex);
        }
    }
}
