using System.Text.Json;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Jobs;

namespace LinkTracker.Jobs;

/// <summary>Deletes a tenant's raw clicks before the job's cut-off. Stats read rollups only, so they do not change.</summary>
/// <remarks>No <see cref="IClickRetention"/> on an engine without retention (PostgreSQL so far): the job then succeeds and logs that it kept the clicks.</remarks>
public sealed partial class RetentionJobHandler(JobMetrics metrics, ILogger<RetentionJobHandler> logger, IClickRetention? retention = null) : IJobHandler
{
    public async Task RunAsync(JobLease job, CancellationToken cancellationToken)
    {
        var tenant = job.Tenant ?? throw new InvalidOperationException("A retention job names its tenant; this one names none.");
        var payload = JsonSerializer.Deserialize<RetentionPayload>(job.Payload, RetentionJob.Json)
            ?? throw new InvalidOperationException("The retention job's payload is empty; it should be {\"before\": \"<time>\"}.");
        if (retention is null)
        {
            LogSkipped(logger, tenant, payload.Before);
            return;
        }

        var deleted = await retention.DeleteClicksBeforeAsync(tenant, payload.Before, cancellationToken);
        metrics.ClicksDeleted(tenant, deleted);
        LogDeleted(logger, deleted, tenant, payload.Before);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} raw clicks of tenant {Tenant} from before {Before:O}; stats are unchanged")]
    private static partial void LogDeleted(ILogger logger, long count, string tenant, DateTimeOffset before);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention skipped for tenant {Tenant}: the configured storage engine has no raw-click retention yet (SQLite only), so its raw clicks from before {Before:O} are kept")]
    private static partial void LogSkipped(ILogger logger, string tenant, DateTimeOffset before);
}
