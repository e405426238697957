using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Reports;

/// <summary>What the report tests share: clicks at local times, asking for reports and waiting until they are ready.</summary>
internal static class ReportsTestKit
{
    public static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The instant of a local time in <paramref name="zone"/>.</summary>
    public static DateTimeOffset Local(DateOnly date, int hour, int minute, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public static Click ClickAt(string tenant, string code, DateTimeOffset at, string? recipient, string? referrer = null, ClickFlags flags = ClickFlags.None) =>
        new(Guid.CreateVersion7(at), tenant, code, recipient, at, Clients.BrowserAgent, referrer, null, flags);

    /// <summary>POSTs the range, checks the 202 and its Location, and polls that until every day is ready.</summary>
    public static async Task<JsonNode> RequestReportsAsync(HttpClient api, DateOnly from, DateOnly to)
    {
        var response = await api.PostJsonAsync("/api/reports", new { from = Iso(from), to = Iso(to) });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location ?? throw new InvalidOperationException("202 without a Location");
        return await WaitUntilCompleteAsync(api, location.ToString());
    }

    public static async Task<JsonNode> WaitUntilCompleteAsync(HttpClient api, string location, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var status = await (await api.GetAsync(location)).ReadJsonAsync();
            if ((bool)status["complete"]!)
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the reports were not ready in time: {status.ToJsonString()}");
            await Task.Delay(50);
        }
    }
}
