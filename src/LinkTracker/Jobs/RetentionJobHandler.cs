using System.Text.Json;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Jobs;

namespace LinkTracker.Jobs;

/// <summary>Deletes a tenant's raw clicks before the job's cut-off. Stats read rollups only, so they do not change.</summary>
public sealed partial class RetentionJobHandler(IClickRetention retention, JobMetrics metrics, ILogger<RetentionJobHandler> logger) : IJobHandler
{
    public async Task RunAsync(JobLease job, CancellationToken cancellationToken)
    {
        var tenant = job.Tenant ?? throw new InvalidOperationException("A retention job names its tenant; this one names none.");
        var payload = JsonSerializer.Deserialize<RetentionPayload>(job.Payload, RetentionJob.Json)
            ?? throw new InvalidOperationException("The retention job's payload is empty; it should be {\"before\": \"<time>\"}.");
        var deleted = await retention.DeleteClicksBeforeAsync(tenant, payload.Before, cancellationToken);
        metrics.ClicksDeleted(tenant, deleted);
        LogDeleted(logger, deleted, tenant, payload.Before);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} raw clicks of tenant {Tenant} from before {Before:O}; stats are unchanged")]
    private static partial void LogDeleted(ILogger logger, long count, string tenant, DateTimeOffset before);
}
