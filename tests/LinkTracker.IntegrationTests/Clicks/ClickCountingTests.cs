using System.Net;
using LinkTracker.Clicks;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Clicks;

public sealed class ClickCountingTests : IAsyncLifetime
{
    private TestService _service = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _service = await TestService.StartAsync();
        _api = _service.Client("acme", await _service.AddTenantAsync("acme"));
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a", campaign = "nov" })).EnsureSuccessStatusCode();
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/b", code = "b", campaign = "nov" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _service.DisposeAsync();
    }

    private async Task<(long Clicks, long Human, long Unique)> TotalsAsync(string path)
    {
        var stats = await (await _api.GetAsync(path)).ReadJsonAsync();
        var totals = stats["totals"]!;
        return ((long)totals["clicks"]!, (long)totals["humanClicks"]!, (long)totals["uniqueRecipients"]!);
    }

    private async Task ClickAsync(int count, Func<int, string> path) =>
        Assert.Equal(count, await Clicker.ClickAsync(_api, count, path));

    [Fact]
    public async Task N_redirects_with_distinct_recipients_are_N_clicks_and_N_unique_recipients()
    {
        await ClickAsync(600, i => $"/{(i % 3 == 0 ? "b" : "a")}?r=user-{i}");
        await _service.WaitForWriterAsync();

        Assert.Equal((600L, 600L, 600L), await TotalsAsync("/api/stats"));
        Assert.Equal((600L, 600L, 600L), await TotalsAsync("/api/stats?campaign=nov"));
        Assert.Equal((400L, 400L, 400L), await TotalsAsync("/api/links/a/stats"));
        Assert.Equal((200L, 200L, 200L), await TotalsAsync("/api/links/b/stats?granularity=hour&from=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))));

        var stats = await (await _api.GetAsync("/api/stats")).ReadJsonAsync();
        Assert.Equal(0, (long)stats["freshness"]!["pendingClicks"]!);
        Assert.Equal(600, stats["series"]!.AsArray().Sum(b => (long)b!["clicks"]!));
    }

    [Fact]
    public async Task Replaying_the_journal_changes_no_count()
    {
        await ClickAsync(200, i => $"/a?r=replay-{i}");
        await _service.WaitForWriterAsync();
        var before = await TotalsAsync("/api/links/a/stats");
        var stored = await (await _api.GetAsync("/api/links/a/clicks?limit=1000")).ReadJsonAsync();
        var ids = stored["items"]!.AsArray().Select(c => Guid.Parse((string)c!["id"]!)).ToHashSet();
        Assert.Equal(200, ids.Count);

        // Put the very same clicks back into the journal, as a crash between commit and acknowledge would.
        var journal = _service.Services.GetRequiredService<IClickJournal>();
        var replay = stored["items"]!.AsArray().Select(c => new Click(
            Guid.Parse((string)c!["id"]!), "acme", "a", (string?)c["recipient"], DateTimeOffset.Parse((string)c["at"]!),
            (string?)c["userAgent"], null, null, ClickFlags.None)).ToList();
        var duplicatesBefore = _service.Metrics.Duplicates;
        await journal.AppendAsync(replay, CancellationToken.None);
        _service.Services.GetRequiredService<PendingClicks>().Appended();
        await _service.WaitForWriterAsync();

        Assert.Equal(before, await TotalsAsync("/api/links/a/stats"));
        Assert.Equal(duplicatesBefore + 200, _service.Metrics.Duplicates);
    }

    [Fact]
    public async Task Head_requests_and_bots_redirect_but_are_not_human()
    {
        using var bot = _service.Client("acme");
        bot.DefaultRequestHeaders.UserAgent.Clear();
        bot.DefaultRequestHeaders.UserAgent.ParseAdd("Googlebot/2.1");
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/h", code = "h" })).EnsureSuccessStatusCode();

        var head = await _api.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/h?r=someone"));
        var crawl = await bot.GetAsync("/h?r=someone-else");
        await _service.WaitForWriterAsync();

        Assert.Equal(HttpStatusCode.Found, head.StatusCode);
        Assert.Equal(HttpStatusCode.Found, crawl.StatusCode);
        Assert.Equal((2L, 0L, 0L), await TotalsAsync("/api/links/h/stats"));
        var clicks = await (await _api.GetAsync("/api/links/h/clicks")).ReadJsonAsync();
        var flags = clicks["items"]!.AsArray().SelectMany(c => c!["flags"]!.AsArray().Select(f => (string)f!)).Order().ToList();
        Assert.Equal(["bot", "head"], flags);
    }

    [Fact]
    public async Task Raw_clicks_show_what_was_captured_with_the_address_truncated()
    {
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/raw", code = "raw" })).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/raw?r=carol");
        request.Headers.Referrer = new Uri("https://mail.example/inbox");
        await _api.SendAsync(request);
        await _service.WaitForWriterAsync();

        var click = (await (await _api.GetAsync("/api/links/raw/clicks")).ReadJsonAsync())["items"]![0]!;

        Assert.Equal("carol", (string?)click["recipient"]);
        Assert.Equal("https://mail.example/inbox", (string?)click["referrer"]);
        Assert.Equal(Clients.BrowserAgent, (string?)click["userAgent"]);
        Assert.Equal("127.0.0.0", (string?)click["clientAddress"]);
        Assert.True((bool)click["human"]!);
        Assert.Equal(7, Guid.Parse((string)click["id"]!).Version);
    }
}
