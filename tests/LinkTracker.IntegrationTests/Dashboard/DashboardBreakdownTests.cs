using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace LinkTracker.IntegrationTests.Dashboard;

/// <summary>The top-values tables (country, device, browser, OS, referrer host) under the charts, from clicks with known user agents.</summary>
public sealed class DashboardBreakdownTests(DashboardBrowserFixture fixture) : IClassFixture<DashboardBrowserFixture>
{
    private const string Iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    private const string WindowsFirefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0";

    [Fact]
    public async Task Link_campaign_and_overview_pages_show_top_devices_browsers_systems_and_referrers_of_the_clicks()
    {
        using (var api = fixture.Service.Client("acme", fixture.AcmeKey))
        {
            (await api.PostJsonAsync("/api/links", new { url = "https://shop.example/devices", code = "bd-devices", campaign = "bd-campaign" })).EnsureSuccessStatusCode();
        }

        using var clicker = fixture.Service.Client("acme");
        await ClickAsync(clicker, "ana", Iphone, "https://news.example.com/story");
        await ClickAsync(clicker, "bob", Iphone, null);
        await ClickAsync(clicker, "cy", WindowsFirefox, "https://News.Example.com/other");
        await fixture.Service.WaitForWriterAsync();

        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        await session.SignInAsync(DashboardBrowserFixture.AcmeViewer, DashboardBrowserFixture.Password);
        var page = session.Page;
        foreach (var path in new[] { "/dashboard/links/bd-devices", "/dashboard?campaign=bd-campaign" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            Assert.Equal("2", await Cell(page, "device", "mobile", 1));
            Assert.Equal("1", await Cell(page, "device", "desktop", 1));
            Assert.Equal("2", await Cell(page, "browser", "Safari", 1));
            Assert.Equal("1", await Cell(page, "browser", "Firefox", 1));
            Assert.Equal("2", await Cell(page, "os", "iOS", 1));
            Assert.Equal("1", await Cell(page, "os", "Windows", 1));
            Assert.Equal("2", await Cell(page, "referrer", "news.example.com", 1));
            Assert.Equal("1", await Cell(page, "referrer", "(direct)", 1));
            // No geo database is configured in tests: every click counts under "(unknown)" country.
            Assert.Equal("3", await Cell(page, "country", "(unknown)", 1));
        }

        await session.ScreenshotAsync("breakdowns-link");
        await page.GotoAsync("/dashboard");
        Assert.NotNull(await Cell(page, "device", "mobile", 1));
        Assert.Equal(5, await page.Locator("table.breakdown").CountAsync());
        await session.ScreenshotAsync("breakdowns-overview");

        // Another range without clicks shows each table empty, not stale numbers.
        await page.GotoAsync("/dashboard/links/bd-devices?from=2020-01-01&to=2020-01-02");
        Assert.Equal(5, await page.Locator("table.breakdown td.empty").CountAsync());
        session.AssertNoErrors();
    }

    [Fact]
    public async Task The_overview_shows_the_tenants_insights_in_plain_words_with_the_fix()
    {
        await using var session = await fixture.OpenAsync(fixture.Origin("globex"));
        await session.SignInAsync(DashboardBrowserFixture.GlobexEditor, DashboardBrowserFixture.Password);
        Assert.Equal(0, await session.Page.Locator("[data-insight=unknown-codes]").CountAsync());

        // Insights:UnknownCodes (500) visits to codes globex does not have: a scanner, as GET /api/insights reports it.
        using var scanner = fixture.Service.Client("globex");
        for (var batch = 0; batch < 10; batch++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => scanner.GetAsync($"/no-such-code-{batch}-{i}")));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.StatusCode));
        }

        await session.Page.GotoAsync("/dashboard");
        var insight = session.Page.Locator("[data-insight=unknown-codes]");
        Assert.Contains("codes you do not have", await insight.TextContentAsync());
        Assert.Contains("Fix:", await insight.TextContentAsync());
        await session.ScreenshotAsync("overview-insights");
        session.AssertNoErrors();
    }

    private static async Task ClickAsync(HttpClient clicker, string recipient, string userAgent, string? referrer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/bd-devices?r={recipient}");
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (referrer is not null)
        {
            request.Headers.Referrer = new Uri(referrer);
        }

        Assert.Equal(HttpStatusCode.Found, (await clicker.SendAsync(request)).StatusCode);
    }

    private static async Task<string?> Cell(IPage page, string dimension, string value, int column) =>
        await page.Locator($"table[data-breakdown='{dimension}'] tr[data-value='{value}'] td").Nth(column).TextContentAsync(new() { Timeout = 5_000 });
}
