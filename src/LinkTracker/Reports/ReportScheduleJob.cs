using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Tenants;

namespace LinkTracker.Reports;

/// <summary>
/// The daily pass's report job of one tenant: it reads the tenant's time zone and enqueues a <see cref="ReportJob"/> per
/// ended local day that has no report yet. Reading tenant data in a job, not in the scheduler, keeps one tenant's broken
/// database from holding up the others' schedule, and gives its failures the queue's retries and dead letters.
/// </summary>
public static class ReportScheduleJob
{
    public const string Type = "report-schedule";

    /// <summary>The job of UTC <paramref name="day"/>; <paramref name="dueAt"/> is fixed in it, so every run of it picks the same days.</summary>
    public static JobRequest For(Tenant tenant, DateOnly day, DateTimeOffset dueAt) => new(
        Type,
        tenant.Slug,
        JsonSerializer.Serialize(new ReportSchedulePayload(dueAt, tenant.CreatedAt), ReportJob.Json),
        string.Create(CultureInfo.InvariantCulture, $"{Type}:{tenant.Slug}:{day:yyyy-MM-dd}"));
}
