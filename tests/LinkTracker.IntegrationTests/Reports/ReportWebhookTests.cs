using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Jobs;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Reports;
using Microsoft.Extensions.DependencyInjection;
using static LinkTracker.IntegrationTests.Reports.ReportsTestKit;

namespace LinkTracker.IntegrationTests.Reports;

/// <summary>Daily reports delivered to a tenant's webhook: signed, retried through the queue, dead-lettered when refused.</summary>
public sealed class ReportWebhookTests
{
    private static readonly DateOnly Day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2);
    private static readonly string[] FastRetries = ["Jobs:DailyAt=23:59:59", "Jobs:BaseDelay=00:00:00.2", "Jobs:MaxDelay=00:00:00.5", "Jobs:MaxAttempts=3"];

    private static async Task<(HttpClient Api, string? Secret)> AddTenantAsync(TestService service, string slug, string? webhookUrl)
    {
        var api = service.Client(slug, await service.AddTenantAsync(slug));
        (await api.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a" })).EnsureSuccessStatusCode();
        var settings = await (await api.PutAsJsonAsync("/api/settings", new { timeZone = "UTC", webhookUrl })).ReadJsonAsync();
        await service.Services.GetRequiredService<IClickStore>().WriteAsync(slug, [
            ClickAt(slug, "a", Local(Day, 9, 0, TimeZoneInfo.Utc), "ann", "https://news.example.com/"),
            ClickAt(slug, "a", Local(Day, 10, 0, TimeZoneInfo.Utc), "bob"),
        ], CancellationToken.None);
        return (api, (string?)settings["webhookSecret"]);
    }

    /// <summary>What the daily pass enqueues for a day: a report job that delivers.</summary>
    private static Task<JobEnqueued> RunDailyReportAsync(TestService service, string tenant) =>
        service.Services.GetRequiredService<IJobQueue>().EnqueueAsync(ReportJob.For(tenant, Day, "UTC", deliver: true), null, CancellationToken.None);

    private static async Task<(long Succeeded, long Failed, long Dead)> OutcomeAsync(TestService service, string type, string tenant)
    {
        var outcomes = (await (await service.OpsClient().GetAsync("/ops/jobs")).ReadJsonAsync())["outcomes"]!.AsArray();
        var o = outcomes.SingleOrDefault(o => (string?)o!["type"] == type && (string?)o["tenant"] == tenant);
        return o is null ? (0, 0, 0) : ((long)o["succeeded"]!, (long)o["failed"]!, (long)o["deadLettered"]!);
    }

    [Fact]
    public async Task A_daily_report_reaches_the_webhook_signed_and_a_failed_delivery_is_retried()
    {
        using var receiver = new WebhookReceiver(failures: 1);
        await using var service = await TestService.StartAsync([.. FastRetries, "Reports:AllowPrivateWebhookTargets=true"]);
        var (api, secret) = await AddTenantAsync(service, "acme", receiver.Url);

        await RunDailyReportAsync(service, "acme");
        var deliveries = await receiver.WaitForAsync(2);
        await service.WaitForJobsAsync();

        var stored = await api.GetStringAsync($"/api/reports/{Iso(Day)}");
        Assert.Equal([500, 204], deliveries.Select(d => d.AnsweredStatus));
        foreach (var delivery in deliveries)
        {
            var timestamp = long.Parse(delivery.Headers[WebhookSignature.TimestampHeader], CultureInfo.InvariantCulture);
            Assert.True(WebhookSignature.Verify(secret!, timestamp, delivery.Body, delivery.Headers[WebhookSignature.SignatureHeader]));
            Assert.False(WebhookSignature.Verify("whsec_wrong", timestamp, delivery.Body, delivery.Headers[WebhookSignature.SignatureHeader]));
            Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            Assert.Equal($"report-webhook:acme:{Iso(Day)}", delivery.Headers["X-LinkTracker-Delivery"]);
            Assert.Equal(
                $"{{\"event\":\"report.daily\",\"tenant\":\"acme\",\"date\":\"{Iso(Day)}\",\"report\":{stored}}}",
                Encoding.UTF8.GetString(delivery.Body));
        }

        Assert.Contains("\"clicks\":2", stored, StringComparison.Ordinal);
        Assert.Equal((1L, 1L, 0L), await OutcomeAsync(service, ReportWebhookJob.Type, "acme"));
        Assert.Equal((1L, 0L, 0L), await OutcomeAsync(service, ReportJob.Type, "acme"));
    }

    [Fact]
    public async Task A_webhook_on_a_private_address_ends_in_the_dead_letters_and_other_tenants_still_get_theirs()
    {
        using var receiver = new WebhookReceiver(failures: 0);
        await using var service = await TestService.StartAsync(FastRetries);
        // A host name, not a literal address: accepted when saved, refused when it resolves to loopback at delivery.
        var (acme, _) = await AddTenantAsync(service, "acme", receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
        var (beta, _) = await AddTenantAsync(service, "beta", null);

        await RunDailyReportAsync(service, "acme");
        await RunDailyReportAsync(service, "beta");
        await service.WaitForJobsAsync();

        var dead = await (await service.OpsClient().GetAsync($"/ops/jobs/dead/report-webhook:acme:{Iso(Day)}")).ReadJsonAsync();
        Assert.Empty(receiver.Deliveries);
        Assert.Contains("private networks", (string?)dead["lastError"], StringComparison.Ordinal);
        Assert.DoesNotContain("?", (string?)dead["lastError"], StringComparison.Ordinal);
        Assert.Equal(3, (int)dead["attempts"]!);
        Assert.Equal((0L, 3L, 1L), await OutcomeAsync(service, ReportWebhookJob.Type, "acme"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await acme.GetAsync($"/api/reports/{Iso(Day)}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await beta.GetAsync($"/api/reports/{Iso(Day)}")).StatusCode);
        Assert.Equal((1L, 0L, 0L), await OutcomeAsync(service, ReportJob.Type, "beta"));
    }

    [Fact]
    public async Task A_day_whose_report_job_died_shows_as_failed_with_its_error_in_the_status()
    {
        await using var service = await TestService.StartAsync(FastRetries);
        var (api, _) = await AddTenantAsync(service, "acme", null);

        // A zone this machine does not know (e.g. tzdata removed after it was saved) fails every attempt.
        await service.Services.GetRequiredService<IJobQueue>().EnqueueAsync(ReportJob.For("acme", Day, "Nowhere/Atlantis", deliver: false), null, CancellationToken.None);
        await service.WaitForJobsAsync();
        var status = await (await api.GetAsync($"/api/reports/status?from={Iso(Day)}&to={Iso(Day)}")).ReadJsonAsync();

        var day = status["days"]![0]!;
        Assert.False((bool)status["complete"]!);
        Assert.Equal("failed", (string?)day["state"]);
        Assert.Contains("'Nowhere/Atlantis' is unknown on this machine", (string?)day["error"], StringComparison.Ordinal);
        Assert.Equal((0L, 3L, 1L), await OutcomeAsync(service, ReportJob.Type, "acme"));
    }
}
