using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace LinkTracker.IntegrationTests.Dashboard;

/// <summary>Whole journeys of a person: issue #14's "done when", with the keyboard only, and on a phone.</summary>
public sealed class DashboardJourneyTests(DashboardBrowserFixture fixture) : IClassFixture<DashboardBrowserFixture>
{
    private static readonly PageWaitForFunctionOptions Deadline = new() { Timeout = 30_000, PollingInterval = 100 };

    [Fact]
    public async Task Done_when_a_person_signs_in_creates_a_campaigns_links_and_watches_a_click_arrive_in_the_campaign()
    {
        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        await session.SignInAsync(DashboardBrowserFixture.AcmeEditor, DashboardBrowserFixture.Password);
        var page = session.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "New links" }).First.ClickAsync();
        await page.Locator("#list").FillAsync("https://autumn.example/coats\nhttps://autumn.example/boots\nhttps://autumn.example/hats");
        await page.Locator("#batchCampaign").FillAsync("autumn");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create links" }).ClickAsync();
        Assert.Equal("3 links created.", await page.GetByRole(AriaRole.Status).First.TextContentAsync());

        await page.GotoAsync("/dashboard/links?campaign=autumn");
        var codes = await page.Locator("table.links tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-code'))");
        Assert.Equal(3, codes.Length);
        await page.Locator($"tr[data-code='{codes[0]}'] a").First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "autumn", Exact = true }).ClickAsync(); // the link's campaign
        Assert.Equal("Campaign autumn", await page.Locator("h1").TextContentAsync());
        await page.Locator("canvas[data-ready=true]").WaitForAsync();
        Assert.Equal("0", await page.Locator("[data-total=clicks]").TextContentAsync());
        Assert.StartsWith("Up to date", await page.Locator("[data-freshness]").TextContentAsync(), StringComparison.Ordinal);

        // Someone clicks one of the campaign's links (over HTTP, like any redirect); the open page refreshes itself. The
        // freshness line is blanked first, so seeing "Up to date" again shows the page rewrote it after the click.
        await page.EvaluateAsync("() => { document.querySelector('[data-freshness]').textContent = 'stale'; }");
        using var clicker = fixture.Service.Client("acme");
        var redirect = await clicker.GetAsync($"/{codes[1]}?r=bea");
        Assert.Equal((HttpStatusCode.Found, "https://autumn.example/boots"), (redirect.StatusCode, redirect.Headers.Location?.ToString()));
        await page.WaitForFunctionAsync("() => document.querySelector('canvas').getAttribute('data-clicks') === '1'", null, Deadline);
        await page.WaitForFunctionAsync("() => document.querySelector('[data-freshness]').textContent.startsWith('Up to date')", null, Deadline);

        Assert.Equal(("1", "1", "1"), (
            await page.Locator("[data-total=clicks]").TextContentAsync(),
            await page.Locator("[data-total=human]").TextContentAsync(),
            await page.Locator("[data-total=unique]").TextContentAsync()));
        await session.ScreenshotAsync("campaign");
        session.AssertNoErrors();
    }

    [Fact]
    public async Task A_person_signs_in_and_creates_a_link_with_the_keyboard_only_and_always_sees_where_the_focus_is()
    {
        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        var page = session.Page;
        var keyboard = page.Keyboard;
        await page.GotoAsync("/dashboard/signin");

        await TabToAsync(page, "#email");
        await keyboard.TypeAsync(DashboardBrowserFixture.AcmeEditor);
        await TabToAsync(page, "#password");
        await keyboard.TypeAsync(DashboardBrowserFixture.Password);
        await keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/dashboard");

        await TabToAsync(page, "a[href='/dashboard/links/new']");
        await keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/dashboard/links/new");
        await TabToAsync(page, "#url");
        await keyboard.TypeAsync("https://keyboard.example/only");
        await TabToAsync(page, "#code");
        await keyboard.TypeAsync("keys-only");
        await TabToAsync(page, "#campaign");
        await keyboard.TypeAsync("keyboard");
        await TabToAsync(page, "form[action*='handler=One'] button[type=submit]");
        await session.ScreenshotAsync("keyboard-focus");
        await keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/dashboard/links/keys-only");

        Assert.Equal("Link keys-only created.", await page.GetByRole(AriaRole.Status).First.TextContentAsync());
        Assert.Equal("https://keyboard.example/only", await page.Locator(".facts .url").TextContentAsync());
        session.AssertNoErrors();
    }

    [Fact]
    public async Task On_a_phone_no_page_scrolls_sideways()
    {
        string code;
        using (var api = fixture.Service.Client("acme", fixture.AcmeKey))
        {
            var created = await (await api.PostJsonAsync("/api/links", new
            {
                url = "https://phone.example/a/rather/long/destination/path/that/a/phone/must/wrap?utm_source=newsletter&utm_campaign=autumn-phone",
                campaign = "phone",
                tags = new[] { "phone" },
            })).ReadJsonAsync();
            code = (string)created["code"]!;
            Assert.Equal(HttpStatusCode.Found, (await fixture.Service.Client("acme").GetAsync($"/{code}?r=someone-with-a-long-recipient-id-0123456789")).StatusCode);
            await fixture.Service.WaitForWriterAsync();
        }

        var phone = new ViewportSize { Width = 390, Height = 844 };
        await using var session = await fixture.OpenAsync(fixture.Origin("acme"), phone);
        var page = session.Page;
        await page.GotoAsync("/dashboard/signin");
        await AssertFitsAsync(session, "phone-signin");
        await session.SignInAsync(DashboardBrowserFixture.AcmeEditor, DashboardBrowserFixture.Password);
        string[] paths =
        [
            "/dashboard", "/dashboard?campaign=phone", "/dashboard/links", "/dashboard/links/new", $"/dashboard/links/{code}", $"/dashboard/links/{code}/edit",
            "/dashboard/segments", "/dashboard/segments/new", "/dashboard/reports",
        ];
        foreach (var path in paths)
        {
            Assert.Equal(200, (await page.GotoAsync(path))!.Status);
            await AssertFitsAsync(session, "phone" + path.Replace('/', '-').Replace('?', '-').Replace('=', '-'));
        }

        await using var ops = await fixture.OpenAsync(fixture.OperatorOrigin, phone);
        await ops.Page.GotoAsync("/ops/dashboard/signin");
        await AssertFitsAsync(ops, "phone-operator-signin");
        await ops.Page.GetByLabel("Operator token").FillAsync(fixture.Service.OpsToken);
        await ops.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ops.Page.WaitForURLAsync("**/ops/dashboard");
        await AssertFitsAsync(ops, "phone-operator");
    }

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has the focus; every stop on the way shows a focus ring.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var presses = 0; presses < 40; presses++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement !== null && document.activeElement.matches(s)", selector))
            {
                Assert.True(await FocusIsVisibleAsync(page), $"{selector} has the focus but no visible focus ring");
                return;
            }

            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("() => document.activeElement !== document.body"))
            {
                var where = await page.EvaluateAsync<string>("() => document.activeElement.outerHTML.slice(0, 120)");
                Assert.True(await FocusIsVisibleAsync(page), "no visible focus ring on " + where);
            }
        }

        Assert.Fail($"40 presses of Tab never reached {selector}");
    }

    private static Task<bool> FocusIsVisibleAsync(IPage page) => page.EvaluateAsync<bool>("""
        () => {
          const e = document.activeElement, s = getComputedStyle(e);
          return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
        }
        """);

    private static async Task AssertFitsAsync(BrowserSession session, string screenshot)
    {
        await session.ScreenshotAsync(screenshot);
        var widths = await session.Page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{session.Page.Url} is {widths[0]} px wide on a {widths[1]} px phone (see {screenshot}.png)");
    }
}
