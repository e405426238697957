using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Tenants;

namespace LinkTracker.Webhooks;

/// <summary>
/// The hourly pass's segment job of one tenant: queues a run of each daily segment whose local time has come and that
/// has no run for that local date yet. Ids name tenant and UTC hour (ADR 5), like the reports' schedule job.
/// </summary>
public static class SegmentScheduleJob
{
    public const string Type = "segment-schedule";

    public static JobRequest For(Tenant tenant, DateTimeOffset hour) => new(
        Type,
        tenant.Slug,
        JsonSerializer.Serialize(new SegmentSchedulePayload(hour), ClickWebhookJobHandler.Json),
        string.Create(CultureInfo.InvariantCulture, $"{Type}:{tenant.Slug}:{hour.UtcDateTime:yyyy-MM-ddTHH}"));
}
