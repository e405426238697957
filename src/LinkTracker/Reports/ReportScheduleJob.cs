using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Tenants;

namespace LinkTracker.Reports;

/// <summary>
/// The hourly pass's report job of one tenant: it reads the tenant's time zone and enqueues a <see cref="ReportJob"/> per
/// ended local day that has no report yet. Reading tenant data in a job, not in the scheduler, keeps one tenant's broken
/// database from holding up the others' schedule, and gives its failures the queue's retries and dead letters.
/// </summary>
public static class ReportScheduleJob
{
    public const string Type = "report-schedule";

    /// <summary>
    /// The job of the pass of the UTC hour starting at <paramref name="hour"/>; the hour is fixed in it as the instant days
    /// are judged at, so every run of it picks the same days. Hourly, so a report is made within an hour of the end of the
    /// tenant's local day (plus the late-clicks grace), wherever the tenant is.
    /// </summary>
    public static JobRequest For(Tenant tenant, DateTimeOffset hour) => new(
        Type,
        tenant.Slug,
        JsonSerializer.Serialize(new ReportSchedulePayload(hour, tenant.CreatedAt), ReportJob.Json),
        string.Create(CultureInfo.InvariantCulture, $"{Type}:{tenant.Slug}:{hour.UtcDateTime:yyyy-MM-ddTHH}"));
}
