using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>
/// End to end over HTTP on each engine: redirects of a phone, a HEAD, a prefetch and a mail scanner's sweep, written
/// through the enrichment stage, show in the breakdowns (served from rollups) and in the raw clicks with their reason.
/// </summary>
public abstract class EnrichmentBreakdownTests : IAsyncLifetime
{
    private const string Phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

    private TestService _service = null!;
    private HttpClient _api = null!;

    protected abstract Task<string[]> SettingsAsync();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _service = await TestService.StartAsync(await SettingsAsync());
        _api = _service.Client("acme", await _service.AddTenantAsync("acme"));
        foreach (var code in (string[])["a", "b", "c", "d", "p"])
        {
            (await _api.PostJsonAsync("/api/links", new { url = $"https://example.com/{code}", code, campaign = "dec" })).EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _service.DisposeAsync();
        await CleanUpAsync();
    }

    [Fact]
    public async Task Phones_head_prefetch_and_a_mail_scanner_sweep_show_in_breakdowns_with_their_reasons()
    {
        using var phone = _service.Client("acme");
        phone.DefaultRequestHeaders.UserAgent.Clear();
        phone.DefaultRequestHeaders.UserAgent.ParseAdd(Phone);
        Assert.Equal(HttpStatusCode.Found, (await phone.GetAsync("/p?r=alice")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await phone.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/p?r=carol"))).StatusCode);
        using var prefetch = new HttpRequestMessage(HttpMethod.Get, "/p?r=dave");
        prefetch.Headers.Add("Sec-Purpose", "prefetch");
        Assert.Equal(HttpStatusCode.Found, (await _api.SendAsync(prefetch)).StatusCode);

        // A scanner opens every link of bob's message within a second: the third link on is flagged.
        foreach (var code in (string[])["a", "b", "c", "d"])
        {
            Assert.Equal(HttpStatusCode.Found, (await _api.GetAsync($"/{code}?r=bob")).StatusCode);
        }

        await _service.WaitForWriterAsync();

        var reasons = await BreakdownAsync("/api/stats?breakdown=reason");
        Assert.Equal(3, reasons["(human)"].Clicks);
        Assert.Equal((1L, 0L), reasons["head"]);
        Assert.Equal((1L, 0L), reasons["prefetch"]);
        Assert.Equal((2L, 0L), reasons["mail-scanner"]);

        var devices = await BreakdownAsync("/api/links/p/stats?breakdown=device");
        Assert.Equal((2L, 1L), devices["mobile"]); // the phone's GET (a person) and HEAD (not)
        Assert.Equal((1L, 0L), devices["desktop"]); // the prefetch
        Assert.Equal((2L, 1L), (await BreakdownAsync("/api/links/p/stats?breakdown=os"))["iOS"]);
        Assert.Contains("Safari", (await BreakdownAsync("/api/links/p/stats?breakdown=browser")).Keys);
        Assert.Equal(7, (await BreakdownAsync("/api/stats?campaign=dec&breakdown=referrer"))["(direct)"].Clicks);
        Assert.Equal(7, (await BreakdownAsync("/api/stats?breakdown=country"))["(unknown)"].Clicks);

        var scanned = await (await _api.GetAsync("/api/links/c/clicks")).ReadJsonAsync();
        var click = scanned["items"]![0]!;
        Assert.Equal("mail-scanner", (string?)click["reason"]);
        Assert.False((bool)click["human"]!);
        Assert.Equal("127.0.0.0", (string?)click["clientAddress"]);
    }

    [Fact]
    public async Task An_unknown_breakdown_is_a_400_that_names_the_choices()
    {
        var response = await _api.GetAsync("/api/stats?breakdown=planet");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Contains("country, device, browser, os, referrer, reason", (string)problem["errors"]!["breakdown"]![0]!);
    }

    private async Task<Dictionary<string, (long Clicks, long HumanClicks)>> BreakdownAsync(string path)
    {
        var response = await _api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        return body["breakdown"]!["items"]!.AsArray().ToDictionary(
            i => (string)i!["value"]!, i => ((long)i!["clicks"]!, (long)i["humanClicks"]!));
    }
}

public sealed class SqliteEnrichmentBreakdownTests : EnrichmentBreakdownTests
{
    protected override Task<string[]> SettingsAsync() => Task.FromResult<string[]>([]);
}

public sealed class PostgresEnrichmentBreakdownTests : EnrichmentBreakdownTests
{
    private PostgresTestDatabase _database = null!;

    protected override async Task<string[]> SettingsAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        return _database.ServiceSettings();
    }

    protected override Task CleanUpAsync() => _database.DisposeAsync().AsTask();
}
