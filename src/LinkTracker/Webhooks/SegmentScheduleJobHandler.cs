using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Reports;
using LinkTracker.Core.Segments;
using LinkTracker.Core.Webhooks;
using LinkTracker.Jobs;
using LinkTracker.Reports;
using LinkTracker.Segments;
using Microsoft.Extensions.Options;

namespace LinkTracker.Webhooks;

/// <summary>
/// Queues the daily run of each scheduled segment, once per local date: the run's id is derived from the segment and
/// the date, so a repeated pass (retry, restart, a second worker) finds it and adds nothing. A schedule set after the
/// day's local time starts the next day. The run goes through the segments' own queue and guardrails.
/// </summary>
public sealed partial class SegmentScheduleJobHandler(
    ISegmentDeliveryStore deliveries,
    ISegmentStore segments,
    IReportStore reports,
    IJobQueue queue,
    IOptions<SegmentDeliveriesOptions> options,
    IOptions<SegmentsOptions> segmentOptions,
    ILogger<SegmentScheduleJobHandler> logger) : IJobHandler
{
    public const string Daily = "daily";

    public async Task RunAsync(JobLease job, CancellationToken cancellationToken)
    {
        var tenant = job.Tenant ?? throw new InvalidOperationException("A segment-schedule job names its tenant; this one names none.");
        var payload = JsonSerializer.Deserialize<SegmentSchedulePayload>(job.Payload, ClickWebhookJobHandler.Json)
            ?? throw new InvalidOperationException("The segment-schedule job's payload is empty.");
        var scheduled = await deliveries.ListScheduledAsync(tenant, cancellationToken);
        if (scheduled.Count == 0)
        {
            return;
        }

        var zone = ReportStoreExtensions.Zone((await reports.GetSettingsOrDefaultAsync(tenant, cancellationToken)).TimeZone);
        var (date, due) = LastDue(payload.AsOf, zone, options.Value.LocalTime);
        foreach (var delivery in scheduled.Where(d => d.Schedule == Daily && d.UpdatedAt <= due))
        {
            if (await segments.GetAsync(tenant, delivery.SegmentId, cancellationToken) is not { } segment)
            {
                continue;
            }

            var runId = RunId(segment.Id, date);
            if (await segments.GetRunAsync(tenant, segment.Id, runId, cancellationToken) is not null)
            {
                continue;
            }

            var run = new SegmentRun(runId, segment.Id, segment.Filter, SegmentRunState.Queued, payload.AsOf);
            if (!await segments.QueueRunAsync(tenant, run, segmentOptions.Value.QueuedRunsPerTenant, cancellationToken))
            {
                // The tenant's run queue is full: the job fails and the queue retries it after a backoff.
                throw new InvalidOperationException(
                    $"The daily run of segment {segment.Id} could not be queued: {segmentOptions.Value.QueuedRunsPerTenant} runs already wait (Segments:QueuedRunsPerTenant).");
            }

            await queue.EnqueueAsync(SegmentRunJob.For(tenant, runId), null, cancellationToken);
            LogQueued(logger, tenant, segment.Id, runId, date);
        }
    }

    /// <summary>The latest local date whose <paramref name="localTime"/> has come by <paramref name="asOf"/>, and that instant.</summary>
    public static (DateOnly Date, DateTimeOffset Due) LastDue(DateTimeOffset asOf, TimeZoneInfo zone, TimeSpan localTime)
    {
        var local = TimeZoneInfo.ConvertTime(asOf, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        if (local.TimeOfDay < localTime)
        {
            date = date.AddDays(-1);
        }

        var wall = date.ToDateTime(TimeOnly.FromTimeSpan(localTime));
        var offset = zone.IsInvalidTime(wall) ? zone.GetUtcOffset(wall.AddHours(1)) : zone.GetUtcOffset(wall);
        return (date, new DateTimeOffset(wall, offset));
    }

    /// <summary>The run id of a segment's daily run on a local date: the same on every pass, shaped like a random one.</summary>
    public static string RunId(string segmentId, DateOnly date) =>
        "run_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{segmentId}:{date:yyyy-MM-dd}"))))[..16];

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Tenant}: daily run {RunId} of segment {SegmentId} for {Date:yyyy-MM-dd} queued")]
    private static partial void LogQueued(ILogger logger, string tenant, string segmentId, string runId, DateOnly date);
}
