using LinkTracker.Clicks.Journal;
using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LinkTracker.Runbook;

/// <summary>
/// Ready when the journal answers: a redirect could not be recorded otherwise. Degraded while it keeps records this
/// build cannot read (a newer click format): nothing is lost, but their clicks wait for a newer build.
/// </summary>
internal sealed class JournalHealthCheck(IClickJournal journal) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await journal.OldestPendingAsync(null, cancellationToken);
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The click journal cannot be read; redirects would not be recorded. Check the data folder's disk and permissions.", ex);
        }

        return journal is SegmentClickJournal { Parked: { Count: > 0 } parked }
            ? HealthCheckResult.Degraded(
                $"{parked.Count} journal record(s) in {string.Join(", ", parked.Select(p => Path.GetFileName(p.Segment)).Distinct())} are in a click format this build does not read; they are kept for a newer build (runbook: 'Click format versions').")
            : HealthCheckResult.Healthy();
    }
}
