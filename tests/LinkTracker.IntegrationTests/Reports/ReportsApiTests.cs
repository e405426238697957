using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Jobs;
using LinkTracker.Reports;
using Microsoft.Extensions.DependencyInjection;
using static LinkTracker.IntegrationTests.Reports.ReportsTestKit;

namespace LinkTracker.IntegrationTests.Reports;

/// <summary>Reports end to end over HTTP on the embedded engine: settings, a requested range, downloads, re-runs, the daily pass.</summary>
public sealed class ReportsApiTests : IAsyncLifetime
{
    private static readonly DateOnly ParisToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Paris).DateTime);
    private static readonly DateOnly Day = ParisToday.AddDays(-3);
    private TestService _service = null!;
    private HttpClient _acme = null!;

    public async Task InitializeAsync()
    {
        _service = await TestService.StartAsync("Jobs:DailyAt=23:59:59");
        _acme = _service.Client("acme", await _service.AddTenantAsync("acme"));
        (await _acme.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a" })).EnsureSuccessStatusCode();
        (await _acme.PostJsonAsync("/api/links", new { url = "https://example.com/b", code = "b" })).EnsureSuccessStatusCode();
        (await _acme.PutAsJsonAsync("/api/settings", new { timeZone = "Europe/Paris" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _acme.Dispose();
        await _service.DisposeAsync();
    }

    private Task<ClickWriteResult> WriteAsync(params Click[] clicks) => _service.Services.GetRequiredService<IClickStore>().WriteAsync("acme", clicks, CancellationToken.None);

    /// <summary>Clicks around <see cref="Day"/> in Paris: two just outside it, five inside (one a bot, one without recipient).</summary>
    private Task<ClickWriteResult> SeedDayAsync() => WriteAsync(
        ClickAt("acme", "a", Local(Day, 0, 0, Paris).AddMilliseconds(-1), "before"),
        ClickAt("acme", "a", Local(Day, 0, 0, Paris), "ann", "https://news.example.com/story?u=ann@example.com"),
        ClickAt("acme", "a", Local(Day, 12, 0, Paris), "bob", "https://news.example.com/other"),
        ClickAt("acme", "a", Local(Day, 13, 0, Paris), "ann"),
        ClickAt("acme", "b", Local(Day, 14, 0, Paris), "scanner", "https://mail.example.net/", ClickFlags.Bot),
        ClickAt("acme", "b", Local(Day, 23, 59, Paris), null),
        ClickAt("acme", "b", Local(Day.AddDays(1), 0, 0, Paris), "next-day"));

    [Fact]
    public async Task Settings_default_to_utc_and_a_webhook_secret_is_shown_only_when_made()
    {
        using var fresh = _service.Client("beta", await _service.AddTenantAsync("beta"));
        var defaults = await (await fresh.GetAsync("/api/settings")).ReadJsonAsync();

        var set = await (await fresh.PutAsJsonAsync("/api/settings", new { timeZone = "America/New_York", webhookUrl = "https://hooks.example.com/lt" })).ReadJsonAsync();
        var read = await (await fresh.GetAsync("/api/settings")).ReadJsonAsync();
        var kept = await (await fresh.PutAsJsonAsync("/api/settings", new { timeZone = "America/New_York", webhookUrl = "https://hooks.example.com/v2" })).ReadJsonAsync();
        var rotated = await (await fresh.PutAsJsonAsync("/api/settings", new { timeZone = "UTC", webhookUrl = "https://hooks.example.com/v2", rotateWebhookSecret = true })).ReadJsonAsync();

        Assert.Equal(("UTC", null, false), ((string?)defaults["timeZone"], (string?)defaults["webhookUrl"], (bool)defaults["webhookSecretSet"]!));
        Assert.StartsWith("whsec_", (string?)set["webhookSecret"], StringComparison.Ordinal);
        Assert.Equal(("America/New_York", "https://hooks.example.com/lt", true, null),
            ((string?)read["timeZone"], (string?)read["webhookUrl"], (bool)read["webhookSecretSet"]!, (string?)read["webhookSecret"]));
        Assert.Null((string?)kept["webhookSecret"]);
        Assert.StartsWith("whsec_", (string?)rotated["webhookSecret"], StringComparison.Ordinal);
        Assert.NotEqual((string?)set["webhookSecret"], (string?)rotated["webhookSecret"]);

        // At rest the secret is encrypted (Data Protection); the worker reveals it to sign.
        var stored = (await _service.Services.GetRequiredService<Core.Reports.IReportStore>().GetSettingsAsync("beta", CancellationToken.None))!.WebhookSecret!;
        Assert.DoesNotContain((string)rotated["webhookSecret"]!, stored, StringComparison.Ordinal);
        Assert.Equal((string?)rotated["webhookSecret"], _service.Services.GetRequiredService<WebhookSecrets>().Reveal(stored));
    }

    [Theory]
    [InlineData("{\"timeZone\":\"Mars/Olympus_Mons\"}", "timeZone", "IANA")]
    [InlineData("{\"timeZone\":\"UTC\",\"webhookUrl\":\"ftp://hooks.example.com/\"}", "webhookUrl", "http or https")]
    [InlineData("{\"timeZone\":\"UTC\",\"webhookUrl\":\"/relative\"}", "webhookUrl", "absolute")]
    [InlineData("{\"rotateWebhookSecret\":true}", "rotateWebhookSecret", "webhookUrl")]
    [InlineData("{\"timeZone\":\"UTC\",\"webhookUrl\":\"http://192.0.2.2/hook\"}", "webhookUrl", "special-purpose")]
    [InlineData("{\"timeZone\":\"UTC\",\"webhookUrl\":\"https://10.0.0.5/hook\"}", "webhookUrl", "private")]
    [InlineData("{\"timeZone\":\"UTC\",\"webhookUrl\":\"https://[fd00::1]/hook\"}", "webhookUrl", "public host")]
    public async Task Bad_settings_are_400_problems_that_say_what_to_send(string body, string field, string hint)
    {
        var response = await _acme.PutAsync("/api/settings", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(hint, (string?)(await response.ReadJsonAsync())["errors"]![field]![0], StringComparison.Ordinal);
        Assert.Equal("Europe/Paris", (string?)(await (await _acme.GetAsync("/api/settings")).ReadJsonAsync())["timeZone"]);
    }

    [Fact]
    public async Task A_requested_day_counts_its_local_clicks_and_downloads_as_json_and_csv()
    {
        await SeedDayAsync();

        var status = await RequestReportsAsync(_acme, Day, Day);
        var json = await (await _acme.GetAsync($"/api/reports/{Iso(Day)}")).ReadJsonAsync();
        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/reports/{Iso(Day)}");
        csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var csvResponse = await _acme.SendAsync(csvRequest);
        var csv = await csvResponse.Content.ReadAsStringAsync();

        Assert.Equal("ready", (string?)status["days"]![0]!["state"]);
        Assert.Equal($"/api/reports/{Iso(Day)}", (string?)status["days"]![0]!["report"]);
        Assert.Equal(Local(Day, 0, 0, Paris), DateTimeOffset.Parse((string)json["from"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(
            "{\"clicks\":5,\"humanClicks\":4,\"nonHumanClicks\":1,\"nonHumanShare\":0.2,\"uniqueRecipients\":2}",
            json["totals"]!.ToJsonString());
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            string.Join("\r\n", [
                ReportCsv.Header,
                $"{Iso(Day)},total,,5,4,1,0.2,2",
                $"{Iso(Day)},link,a,3,3,0,0,2",
                $"{Iso(Day)},link,b,2,1,1,0.5,0",
                $"{Iso(Day)},referrer,(direct),2,,,,",
                $"{Iso(Day)},referrer,news.example.com,2,,,,",
                $"{Iso(Day)},referrer,mail.example.net,1,,,,",
                "",
            ]),
            csv);
        Assert.Equal(csv, await _acme.GetStringAsync($"/api/reports/{Iso(Day)}?format=csv"));
    }

    [Fact]
    public async Task Asking_again_replaces_the_report_and_never_duplicates_it()
    {
        await SeedDayAsync();
        await RequestReportsAsync(_acme, Day.AddDays(-1), Day);
        var first = await _acme.GetStringAsync($"/api/reports/{Iso(Day)}");
        var firstList = await (await _acme.GetAsync("/api/reports")).ReadJsonAsync();

        await RequestReportsAsync(_acme, Day, Day);
        var same = await _acme.GetStringAsync($"/api/reports/{Iso(Day)}");
        await WriteAsync(ClickAt("acme", "a", Local(Day, 18, 0, Paris), "late-cid"));
        await RequestReportsAsync(_acme, Day, Day);
        var changed = await (await _acme.GetAsync($"/api/reports/{Iso(Day)}")).ReadJsonAsync();
        var list = await (await _acme.GetAsync("/api/reports")).ReadJsonAsync();

        Assert.Equal(first, same);
        Assert.Equal(6, (long)changed["totals"]!["clicks"]!);
        Assert.Equal(3, (long)changed["totals"]!["uniqueRecipients"]!);
        Assert.Equal([Iso(Day), Iso(Day.AddDays(-1))], list["items"]!.AsArray().Select(i => (string)i!["date"]!));
        Assert.True(
            DateTimeOffset.Parse((string)list["items"]![0]!["generatedAt"]!, System.Globalization.CultureInfo.InvariantCulture)
            > DateTimeOffset.Parse((string)firstList["items"]![0]!["generatedAt"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Bad_report_requests_are_400_problems_that_say_what_to_send()
    {
        async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.BadRequest)
        {
            Assert.Equal(expected, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            // Unescaped, so the assertions read like the messages a user sees.
            return (await response.ReadJsonAsync()).ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        Assert.Contains("must not be after", await ProblemAsync(await _acme.PostJsonAsync("/api/reports", new { from = Iso(Day), to = Iso(Day.AddDays(-1)) })), StringComparison.Ordinal);
        Assert.Contains("at most 31 days", await ProblemAsync(await _acme.PostJsonAsync("/api/reports", new { from = Iso(Day.AddDays(-40)), to = Iso(Day) })), StringComparison.Ordinal);
        Assert.Contains("has not ended", await ProblemAsync(await _acme.PostJsonAsync("/api/reports", new { from = Iso(Day), to = Iso(ParisToday) })), StringComparison.Ordinal);
        Assert.Contains("kept for 90 days", await ProblemAsync(await _acme.PostJsonAsync("/api/reports", new { from = Iso(Day.AddDays(-120)), to = Iso(Day.AddDays(-100)) })), StringComparison.Ordinal);
        Assert.Contains("yyyy-MM-dd", await ProblemAsync(await _acme.PostJsonAsync("/api/reports", new { from = "01/11/2026", to = Iso(Day) })), StringComparison.Ordinal);
        Assert.Contains("to is required", await ProblemAsync(await _acme.PostJsonAsync("/api/reports", new { from = Iso(Day) })), StringComparison.Ordinal);
        Assert.Contains("not valid JSON", await ProblemAsync(await _acme.PostRawAsync("/api/reports", "{\"from\":")), StringComparison.Ordinal);
        Assert.Contains("yyyy-MM-dd", await ProblemAsync(await _acme.GetAsync("/api/reports/2026-13-01")), StringComparison.Ordinal);
        Assert.Contains("'csv' or 'json'", await ProblemAsync(await _acme.GetAsync($"/api/reports/{Iso(Day)}?format=xml")), StringComparison.Ordinal);
        Assert.Contains("POST /api/reports", await ProblemAsync(await _acme.GetAsync($"/api/reports/{Iso(Day)}"), HttpStatusCode.NotFound), StringComparison.Ordinal);
        using var png = new HttpRequestMessage(HttpMethod.Get, $"/api/reports/{Iso(Day)}");
        png.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));
        Assert.Contains("text/csv or application/json", await ProblemAsync(await _acme.SendAsync(png), HttpStatusCode.NotAcceptable), StringComparison.Ordinal);
        Assert.Empty((await (await _acme.GetAsync("/api/reports")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task The_hourly_pass_makes_the_report_of_the_last_ended_local_day_once()
    {
        // In UTC the pass of tomorrow 23:00 comes after today, the tenant's first day, has ended (with its hour of grace).
        (await _acme.PutAsJsonAsync("/api/settings", new { timeZone = "UTC" })).EnsureSuccessStatusCode();
        var scheduler = _service.Services.GetRequiredService<HourlyJobScheduler>();
        var now = DateTimeOffset.UtcNow;
        var pass = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1).AddHours(23), TimeSpan.Zero);
        await WriteAsync(ClickAt("acme", "a", now, "today"));

        await scheduler.ScheduleHourAsync(pass, CancellationToken.None);
        await _service.WaitForJobsAsync();
        await scheduler.ScheduleHourAsync(pass, CancellationToken.None);
        await _service.WaitForJobsAsync();

        var list = await (await _acme.GetAsync("/api/reports")).ReadJsonAsync();
        var today = Iso(DateOnly.FromDateTime(now.UtcDateTime));
        Assert.Equal([today], list["items"]!.AsArray().Select(i => (string)i!["date"]!));
        Assert.Equal(1, (long)(await (await _acme.GetAsync($"/api/reports/{today}")).ReadJsonAsync())["totals"]!["clicks"]!);
        var outcomes = (await (await _service.OpsClient().GetAsync("/ops/jobs")).ReadJsonAsync())["outcomes"]!.AsArray();
        long Succeeded(string type) => (long)outcomes.Single(o => (string?)o!["type"] == type && (string?)o["tenant"] == "acme")!["succeeded"]!;
        Assert.True(Succeeded(ReportScheduleJob.Type) >= 2); // the service's own pass of the current hour may add one
        Assert.Equal(1L, Succeeded(ReportJob.Type));
    }

    [Fact]
    public async Task A_tenant_eight_hours_behind_UTC_gets_yesterdays_report_from_the_pass_one_hour_after_its_midnight()
    {
        // Etc/GMT+8 is UTC-8 all year (no daylight saving to move the hour). Its local today ends at tomorrow 08:00 UTC;
        // with the hour of grace for late clicks the 09:00 UTC pass makes it, the 08:00 pass does not yet.
        (await _acme.PutAsJsonAsync("/api/settings", new { timeZone = "Etc/GMT+8" })).EnsureSuccessStatusCode();
        var scheduler = _service.Services.GetRequiredService<HourlyJobScheduler>();
        var localToday = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(-8)).DateTime);
        var localMidnightUtc = new DateTimeOffset(localToday.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(-8)).ToUniversalTime();

        await scheduler.ScheduleHourAsync(localMidnightUtc, CancellationToken.None);
        await _service.WaitForJobsAsync();
        var before = await (await _acme.GetAsync("/api/reports")).ReadJsonAsync();
        await scheduler.ScheduleHourAsync(localMidnightUtc.AddHours(1), CancellationToken.None);
        await _service.WaitForJobsAsync();
        var after = await (await _acme.GetAsync("/api/reports")).ReadJsonAsync();

        Assert.Equal(9, localMidnightUtc.AddHours(1).Hour);
        Assert.Empty(before["items"]!.AsArray());
        Assert.Equal([Iso(localToday)], after["items"]!.AsArray().Select(i => (string)i!["date"]!));
    }

    [Fact]
    public async Task Reports_are_listed_newest_first_a_page_at_a_time()
    {
        await RequestReportsAsync(_acme, Day.AddDays(-2), Day);

        var first = await (await _acme.GetAsync("/api/reports?limit=2")).ReadJsonAsync();
        var second = await (await _acme.GetAsync($"/api/reports?limit=2&cursor={(string?)first["next"]}")).ReadJsonAsync();
        var badCursor = await _acme.GetAsync("/api/reports?cursor=not-a-cursor");

        Assert.Equal([Iso(Day), Iso(Day.AddDays(-1))], first["items"]!.AsArray().Select(i => (string)i!["date"]!));
        Assert.Equal($"/api/reports/{Iso(Day)}?format=csv", (string?)first["items"]![0]!["csv"]);
        Assert.Equal([Iso(Day.AddDays(-2))], second["items"]!.AsArray().Select(i => (string)i!["date"]!));
        Assert.Null((string?)second["next"]);
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
    }
}
