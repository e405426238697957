using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Jobs;

namespace LinkTracker.Reports;

/// <summary>Makes and stores one tenant's report of one local day, replacing the one stored before.</summary>
public static class ReportJob
{
    public const string Type = "report";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The job of a local <paramref name="date"/>. Its id, "report:&lt;tenant&gt;:&lt;yyyy-MM-dd&gt;", is the same whether
    /// scheduled or asked for, so the two never both wait; the time zone is fixed in the payload so every run covers the same hours.
    /// </summary>
    /// <remarks>deliver: send it to the tenant's webhook once stored; daily reports do, reports asked for through the API do not.</remarks>
    public static JobRequest For(string tenant, DateOnly date, string timeZone, bool deliver) =>
        new(Type, tenant, JsonSerializer.Serialize(new ReportPayload(date, timeZone, deliver), Json), Id(tenant, date));

    public static string Id(string tenant, DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{Type}:{tenant}:{date:yyyy-MM-dd}");
}
