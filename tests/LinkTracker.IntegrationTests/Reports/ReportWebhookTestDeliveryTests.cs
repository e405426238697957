using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Reports;

namespace LinkTracker.IntegrationTests.Reports;

/// <summary>POST /api/reports/settings/webhook/test: one signed sample to the report webhook, with what the target answered.</summary>
public sealed class ReportWebhookTestDeliveryTests
{
    [Fact]
    public async Task A_test_delivery_arrives_signed_and_failures_say_what_went_wrong()
    {
        using var receiver = new WebhookReceiver(failures: 1);
        await using var service = await TestService.StartAsync("Reports:AllowPrivateWebhookTargets=true");
        using var api = service.Client("acme", await service.AddTenantAsync("acme"));

        var none = await api.PostAsync("/api/reports/settings/webhook/test", null);
        Assert.Equal(HttpStatusCode.Conflict, none.StatusCode);
        Assert.Contains("PUT /api/settings", (string?)(await none.ReadJsonAsync())["detail"], StringComparison.Ordinal);

        var settings = await (await api.PutAsJsonAsync("/api/settings", new { timeZone = "UTC", webhookUrl = receiver.Url })).ReadJsonAsync();
        var secret = (string)settings["webhookSecret"]!;
        var refused = await api.PostAsync("/api/reports/settings/webhook/test", null);
        var accepted = await api.PostAsync("/api/reports/settings/webhook/test", null);

        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        var problem = await refused.ReadJsonAsync();
        Assert.Contains("answered 500", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(500, (int)problem["targetStatus"]!);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var ok = await accepted.ReadJsonAsync();
        Assert.Equal(204, (int)ok["statusCode"]!);
        var deliveries = receiver.Deliveries;
        Assert.Equal(2, deliveries.Count);
        var delivery = deliveries[1];
        var timestamp = long.Parse(delivery.Headers[WebhookSignature.TimestampHeader], CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(secret, timestamp, delivery.Body, delivery.Headers[WebhookSignature.SignatureHeader]));
        Assert.False(WebhookSignature.Verify("whsec_wrong", timestamp, delivery.Body, delivery.Headers[WebhookSignature.SignatureHeader]));
        Assert.Equal("report.test", delivery.Headers["X-LinkTracker-Event"]);
        Assert.Equal((string?)ok["deliveryId"], delivery.Headers["X-LinkTracker-Delivery"]);
        Assert.StartsWith("{\"event\":\"report.test\",\"tenant\":\"acme\"", Encoding.UTF8.GetString(delivery.Body), StringComparison.Ordinal);

        // A target nobody listens on: 502 with the reason.
        receiver.Dispose();
        var unreachable = await api.PostAsync("/api/reports/settings/webhook/test", null);
        Assert.Equal(HttpStatusCode.BadGateway, unreachable.StatusCode);
        Assert.Contains("could not be reached", (string?)(await unreachable.ReadJsonAsync())["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_test_to_a_private_address_is_refused_by_the_guard()
    {
        using var receiver = new WebhookReceiver(failures: 0);
        await using var service = await TestService.StartAsync();
        using var api = service.Client("acme", await service.AddTenantAsync("acme"));
        (await api.PutAsJsonAsync("/api/settings", new { timeZone = "UTC", webhookUrl = receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) })).EnsureSuccessStatusCode();

        var answer = await api.PostAsync("/api/reports/settings/webhook/test", null);

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        Assert.Contains("private", (string?)(await answer.ReadJsonAsync())["detail"], StringComparison.Ordinal);
        Assert.Empty(receiver.Deliveries);
    }
}
