using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.IntegrationTests.Reports;
using LinkTracker.SignedLinks;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.SignedLinks;

/// <summary>
/// A signed link's campaign reaches the campaign's stats, segments and click webhooks (ADR 26): the click carries it in
/// click format version 2 (ADR 11, written by default), the writer keeps it by code; a redelivered click counts once.
/// </summary>
/// <remarks>The write version is process-wide, and every host of this test process sets it at start: these run alone.</remarks>
[Collection(ClickFormatSwitch.Name)]
public abstract class SignedLinkCampaignTests : IAsyncLifetime
{
    private TestService _service = null!;
    private HttpClient _acme = null!;

    protected abstract Task<string[]> SettingsAsync();

    public virtual async Task InitializeAsync()
    {
        _service = await TestService.StartAsync([
            .. await SettingsAsync(), "Reports:AllowPrivateWebhookTargets=true", "ClickWebhooks:Interval=00:00:00.1",
            "ClickWebhooks:DiscoveryInterval=00:00:00.1", "ClickWebhooks:SettleDelay=00:00:00"]);
        _acme = _service.Client("acme", await _service.AddTenantAsync("acme"));
    }

    public virtual async Task DisposeAsync()
    {
        _acme.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task A_signed_links_clicks_count_in_its_campaign_once_even_when_written_again()
    {
        (await _acme.PostJsonAsync("/api/signing-keys", new { })).EnsureSuccessStatusCode();
        (await _acme.PostJsonAsync("/api/links", new { url = "https://example.com/stored", code = "stored", campaign = "nov" })).EnsureSuccessStatusCode();
        var signed = await (await _acme.PostJsonAsync("/api/signed-links", new { url = "https://example.com/a", campaign = "nov" })).ReadJsonAsync();
        var other = await (await _acme.PostJsonAsync("/api/signed-links", new { url = "https://example.com/b", campaign = "dec" })).ReadJsonAsync();
        var plain = await (await _acme.PostJsonAsync("/api/signed-links", new { url = "https://example.com/c" })).ReadJsonAsync();
        var token = new Uri((string)signed["shortUrl"]!).AbsolutePath["/s/".Length..];

        Assert.Equal(ClickCodec.CurrentVersion, ClickCodec.WriteVersion);
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync($"/s/{token}?r=ann")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync($"/s/{token}?r=bob")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync(new Uri((string)other["shortUrl"]!).AbsolutePath)).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync(new Uri((string)plain["shortUrl"]!).AbsolutePath)).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync("/stored?r=ann")).StatusCode);
        await _service.WaitForWriterAsync();

        Assert.Equal((3L, 2L), await CampaignAsync("nov")); // two signed clicks and the stored link's, ann counted once
        Assert.Equal((1L, 0L), await CampaignAsync("dec"));
        Assert.Equal(5L, (long)(await (await _acme.GetAsync("/api/stats")).ReadJsonAsync())["totals"]!["clicks"]!);

        // The broker redelivers a batch, or an edge's journal delivers it again after a restart: the same ids.
        var store = _service.Services.GetRequiredService<IClickStore>();
        var stored = (await store.ListAsync("acme", new ClickQuery(SignedLinkCodec.CodeOf(token), null, 10, null, null), CancellationToken.None)).Items;
        Assert.Equal(2, stored.Count);
        var again = await store.WriteAsync("acme", stored.Select(c => c with { Campaign = "nov" }).ToArray(), CancellationToken.None);
        Assert.Equal(new ClickWriteResult(0, 2), again);
        Assert.Equal((3L, 2L), await CampaignAsync("nov"));
    }

    [Fact]
    public async Task A_signed_links_campaign_chooses_segment_recipients_and_click_webhook_events()
    {
        using var receiver = new WebhookReceiver(failures: 0);
        (await _acme.PostJsonAsync("/api/signing-keys", new { })).EnsureSuccessStatusCode();
        (await _acme.PostJsonAsync("/api/links", new { url = "https://example.com/stored", code = "stored", campaign = "nov" })).EnsureSuccessStatusCode();
        var nov = await (await _acme.PostJsonAsync("/api/signed-links", new { url = "https://example.com/a", campaign = "nov" })).ReadJsonAsync();
        var dec = await (await _acme.PostJsonAsync("/api/signed-links", new { url = "https://example.com/b", campaign = "dec" })).ReadJsonAsync();
        (await _acme.PutAsJsonAsync("/api/webhooks/clicks", new { url = receiver.Url, campaigns = new[] { "nov" } })).EnsureSuccessStatusCode();
        await Task.Delay(5); // the clicks below are after the webhook's start

        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync(new Uri((string)nov["shortUrl"]!).AbsolutePath + "?r=ann")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync(new Uri((string)dec["shortUrl"]!).AbsolutePath + "?r=bob")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync("/stored?r=cy")).StatusCode);
        await _service.WaitForWriterAsync();

        Assert.Equal("ann,cy", await SegmentAsync("nov"));
        Assert.Equal("bob", await SegmentAsync("dec"));
        var events = await EventsAsync(receiver, count: 2);
        Assert.Equal([("ann", "nov"), ("cy", "nov")], events);
    }

    private async Task<string> SegmentAsync(string campaign)
    {
        var created = await _acme.PostJsonAsync("/api/segments", new { name = campaign, filter = new { clicked = new { campaign } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)(await created.ReadJsonAsync())["id"]!;
        var accepted = await _acme.PostAsync($"/api/segments/{id}/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((string?)(await (await _acme.GetAsync(accepted.Headers.Location)).ReadJsonAsync())["state"] is not ("completed" or "failed"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the segment run did not finish in time");
            await Task.Delay(50);
        }

        var page = await (await _acme.GetAsync($"/api/segments/{id}/recipients")).ReadJsonAsync();
        return string.Join(',', page["recipients"]!.AsArray().Select(r => (string?)r));
    }

    private static async Task<(string, string)[]> EventsAsync(WebhookReceiver receiver, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var events = receiver.Deliveries.Where(d => d.AnsweredStatus == 204)
                .SelectMany(d => JsonNode.Parse(d.Body)!["events"]!.AsArray())
                .Select(e => ((string)e!["recipient"]!, (string)e["campaign"]!)).Distinct().Order().ToArray();
            if (events.Length >= count || DateTime.UtcNow > deadline)
            {
                return events;
            }

            await Task.Delay(25);
        }
    }

    private async Task<(long Clicks, long Recipients)> CampaignAsync(string campaign)
    {
        var totals = (await (await _acme.GetAsync($"/api/stats?campaign={campaign}")).ReadJsonAsync())["totals"]!;
        return ((long)totals["clicks"]!, (long)totals["uniqueRecipients"]!);
    }
}

public sealed class SqliteSignedLinkCampaignTests : SignedLinkCampaignTests
{
    protected override Task<string[]> SettingsAsync() => Task.FromResult<string[]>([]);
}

public sealed class PostgresSignedLinkCampaignTests : SignedLinkCampaignTests
{
    private PostgresTestDatabase _database = null!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override async Task<string[]> SettingsAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        return _database.ServiceSettings();
    }
}
