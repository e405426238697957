using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinkTracker.Runbook;

/// <summary>Ready when the journal answers: a redirect could not be recorded otherwise.</summary>
internal sealed class JournalHealthCheck(IClickJournal journal) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await journal.OldestPendingAsync(null, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The click journal cannot be read; redirects would not be recorded. Check the data folder's disk and permissions.", ex);
        }
    }
}
