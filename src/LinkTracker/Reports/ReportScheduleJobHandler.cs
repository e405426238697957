using System.Text.Json;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Reports;
using LinkTracker.Jobs;
using Microsoft.Extensions.Options;

namespace LinkTracker.Reports;

/// <summary>
/// Finds the tenant's local days that ended (plus the late-clicks grace) by the pass's time and have no report, among
/// the last <see cref="ReportsOptions.CatchUpDays"/>, and enqueues their report jobs. Days already reported are
/// skipped, so a restart that schedules the pass again makes and delivers nothing twice.
/// </summary>
public sealed partial class ReportScheduleJobHandler(
    IReportStore store, IJobQueue queue, IOptions<ReportsOptions> options, ILogger<ReportScheduleJobHandler> logger) : IJobHandler
{
    public async Task RunAsync(JobLease job, CancellationToken cancellationToken)
    {
        var tenant = job.Tenant ?? throw new InvalidOperationException("A report-schedule job names its tenant; this one names none.");
        var payload = JsonSerializer.Deserialize<ReportSchedulePayload>(job.Payload, ReportJob.Json)
            ?? throw new InvalidOperationException("The report-schedule job's payload is empty.");
        var settings = await store.GetSettingsOrDefaultAsync(tenant, cancellationToken);
        var zone = ReportStoreExtensions.Zone(settings.TimeZone);

        var last = ReportDay.LastEnded(payload.AsOf, zone, options.Value.LateClicksGrace);
        var first = ReportDay.LocalDate(payload.TenantCreatedAt, zone);
        if (first < last.AddDays(1 - options.Value.CatchUpDays))
        {
            first = last.AddDays(1 - options.Value.CatchUpDays);
        }

        if (first > last)
        {
            return;
        }

        var reported = (await store.ListReportsAsync(tenant, first, last, options.Value.CatchUpDays, cancellationToken)).Select(r => r.Date).ToHashSet();
        var jobs = new List<JobRequest>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (!reported.Contains(day))
            {
                jobs.Add(ReportJob.For(tenant, day, settings.TimeZone, deliver: true));
            }
        }

        if (jobs.Count > 0)
        {
            var added = (await queue.EnqueueManyAsync(jobs, null, cancellationToken)).Count(e => e.Added);
            LogScheduled(logger, tenant, added, first, last);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {Tenant}: {Count} daily reports enqueued between {First:yyyy-MM-dd} and {Last:yyyy-MM-dd}")]
    private static partial void LogScheduled(ILogger logger, string tenant, int count, DateOnly first, DateOnly last);
}
