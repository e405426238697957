using LinkTracker.Demo;
using LinkTracker.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LinkTracker.IntegrationTests.Dashboard;

/// <summary>The demo tenant in a real browser: its month of clicks on the chart, and a text search that finds a link by a part of its address.</summary>
public sealed class DemoDashboardTests(DashboardBrowserFixture fixture) : IClassFixture<DashboardBrowserFixture>
{
    [Fact]
    public async Task The_demo_month_shows_on_the_chart_and_the_links_page_finds_links_by_text()
    {
        var demo = await ActivatorUtilities.CreateInstance<DemoData>(fixture.Service.Services)
            .SeedAsync("demo", DashboardBrowserFixture.Password, CancellationToken.None);
        await fixture.Service.Services.GetRequiredService<TenantDirectory>().ReloadAsync(CancellationToken.None);
        await using var session = await fixture.OpenAsync(fixture.Origin("demo"));
        await session.Page.SetViewportSizeAsync(1100, 760);
        await session.SignInAsync(demo.Email, DashboardBrowserFixture.Password);
        var page = session.Page;

        await page.GotoAsync("/dashboard?range=30d");
        await page.Locator("canvas[data-ready=true]").WaitForAsync();
        var shown = long.Parse(new string((await page.Locator("[data-total=clicks]").TextContentAsync())!.Where(char.IsAsciiDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(shown, demo.ClicksWritten * 0.9, demo.ClicksWritten); // the 30 days of the picker end today; the demo's month began on an hour
        await session.ScreenshotAsync("demo-overview");

        await page.GotoAsync("/dashboard/links");
        await page.GetByLabel("Text").FillAsync("SPRING/JACKETS");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        Assert.Equal(["sale-jackets"], await page.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.code)"));
        await page.GetByLabel("Text").FillAsync("launch");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        Assert.Equal(8, await page.Locator("tbody tr").CountAsync());
        await session.ScreenshotAsync("demo-links");
        session.AssertNoErrors();
    }
}
