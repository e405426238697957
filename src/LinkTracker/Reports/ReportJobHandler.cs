using System.Text.Json;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Reports;
using LinkTracker.Jobs;
using LinkTracker.Runbook.Slow;

namespace LinkTracker.Reports;

/// <summary>
/// Counts the local day's raw clicks, stores the report (replacing the date's previous one), then enqueues its webhook
/// delivery. Killed anywhere, a re-run stores the same bytes: the content depends only on the clicks and the payload.
/// </summary>
public sealed partial class ReportJobHandler(IReportStore store, IJobQueue queue, TimeProvider time, SlowLog slowLog, ILogger<ReportJobHandler> logger) : IJobHandler
{
    public async Task RunAsync(JobLease job, CancellationToken cancellationToken)
    {
        var tenant = job.Tenant ?? throw new InvalidOperationException("A report job names its tenant; this one names none.");
        var payload = JsonSerializer.Deserialize<ReportPayload>(job.Payload, ReportJob.Json)
            ?? throw new InvalidOperationException("The report job's payload is empty; it should be {\"date\": \"yyyy-MM-dd\", \"timeZone\": \"...\"}.");
        var (from, to) = ReportDay.Bounds(payload.Date, ReportStoreExtensions.Zone(payload.TimeZone));

        var started = time.GetTimestamp();
        var counts = await store.CountClicksAsync(tenant, from, to, (int)ClickFlags.NonHuman, cancellationToken);
        var report = ReportBuilder.Build(tenant, payload.Date, payload.TimeZone, from, to, counts);
        // Milliseconds: what both engines keep, so a stored time reads back equal.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        await store.SaveReportAsync(tenant, new StoredReport(payload.Date, payload.TimeZone, from, to, now, ReportBuilder.ToJson(report)), cancellationToken);
        LogStored(logger, tenant, payload.Date, report.Totals.Clicks);
        slowLog.Record(tenant, SlowOperationKind.Report, time.GetElapsedTime(started), report.Totals.Clicks, $"report of one local day ({payload.TimeZone})");

        if (payload.Deliver && (await store.GetSettingsAsync(tenant, cancellationToken))?.WebhookUrl is not null)
        {
            await queue.EnqueueAsync(ReportWebhookJob.For(tenant, payload.Date), null, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report of tenant {Tenant} for {Date:yyyy-MM-dd} stored ({Clicks} clicks)")]
    private static partial void LogStored(ILogger logger, string tenant, DateOnly date, long clicks);
}
