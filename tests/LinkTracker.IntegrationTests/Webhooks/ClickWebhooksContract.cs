using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.IntegrationTests.Reports;
using LinkTracker.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Webhooks;

/// <summary>Click webhooks end to end on each engine: signed batches from stored clicks, a 500 retried without a gap, the campaign filter.</summary>
public abstract class ClickWebhooksContract
{
    protected static readonly string[] Settings =
    [
        "Reports:AllowPrivateWebhookTargets=true", "ClickWebhooks:Interval=00:00:00.1", "ClickWebhooks:DiscoveryInterval=00:00:00.1",
        "ClickWebhooks:SettleDelay=00:00:00", "ClickWebhooks:BatchSize=3", "Jobs:BaseDelay=00:00:00.2", "Jobs:MaxDelay=00:00:00.5",
    ];

    protected abstract Task<TestService> StartAsync(params string[] settings);

    [Fact]
    public async Task Every_matching_click_reaches_the_receiver_signed_a_500_is_retried_and_other_campaigns_are_filtered_out()
    {
        using var receiver = new WebhookReceiver(failures: 1);
        await using var service = await StartAsync(Settings);
        var api = service.Client("acme", await service.AddTenantAsync("acme"));
        (await api.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a", campaign = "spring" })).EnsureSuccessStatusCode();
        (await api.PostJsonAsync("/api/links", new { url = "https://example.com/b", code = "b", campaign = "fall" })).EnsureSuccessStatusCode();
        var bad = await api.PutAsJsonAsync("/api/webhooks/clicks", new { url = "ftp://nowhere", campaigns = new[] { "spring" } });
        var put = await api.PutAsJsonAsync("/api/webhooks/clicks", new { url = receiver.Url, campaigns = new[] { "spring" } });
        var secret = (string?)(await put.ReadJsonAsync())["secret"];
        await Task.Delay(5); // the clicks below are after the webhook's start

        var now = DateTimeOffset.UtcNow;
        var clicks = Enumerable.Range(0, 8).Select(i => new Click(
            Guid.CreateVersion7(now.AddMilliseconds(i)), "acme", i % 4 == 3 ? "b" : "a", $"r{i}", now.AddMilliseconds(i), "test", null, null, ClickFlags.None)).ToList();
        await service.Services.GetRequiredService<IClickStore>().WriteAsync("acme", clicks, CancellationToken.None);
        var expected = clicks.Where(c => c.Code == "a").Select(c => c.Id.ToString()).Order(StringComparer.Ordinal).ToList();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> received;
        while (true)
        {
            received = [.. receiver.Deliveries.Where(d => d.AnsweredStatus == 204).SelectMany(Events).Distinct().Order(StringComparer.Ordinal)];
            if (received.Count >= expected.Count || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(25);
        }

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(expected, received);
        Assert.Equal(500, receiver.Deliveries[0].AnsweredStatus);
        Assert.Equal(
            receiver.Deliveries[0].Headers["X-LinkTracker-Delivery"],
            receiver.Deliveries.First(d => d.AnsweredStatus == 204).Headers["X-LinkTracker-Delivery"]);
        Assert.Equal(receiver.Deliveries.Count(d => d.AnsweredStatus == 204), receiver.Deliveries.Where(d => d.AnsweredStatus == 204).Select(d => d.Headers["X-LinkTracker-Delivery"]).Distinct().Count());
        foreach (var delivery in receiver.Deliveries)
        {
            var timestamp = long.Parse(delivery.Headers[WebhookSignature.TimestampHeader], CultureInfo.InvariantCulture);
            Assert.True(WebhookSignature.Verify(secret!, timestamp, delivery.Body, delivery.Headers[WebhookSignature.SignatureHeader]));
            Assert.Equal("link.clicked", delivery.Headers["X-LinkTracker-Event"]);
        }

        var state = await (await api.GetAsync("/api/webhooks/clicks")).ReadJsonAsync();
        Assert.False((bool)state["paused"]!);
        Assert.Null(state["secret"]);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync("/api/webhooks/clicks")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/webhooks/clicks")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Client("beta", await service.AddTenantAsync("beta")).GetAsync("/api/webhooks/clicks")).StatusCode);
    }

    private static IEnumerable<string> Events(WebhookReceiver.Delivery delivery) =>
        JsonNode.Parse(delivery.Body)!["events"]!.AsArray().Select(e => (string)e!["id"]!);
}
