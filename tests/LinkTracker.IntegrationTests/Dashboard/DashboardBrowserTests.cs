using System.Net;
using LinkTracker.Core.Reports;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Reports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LinkTracker.IntegrationTests.Dashboard;

/// <summary>The tenant dashboard in a real browser (Debian's Chromium): what a person sees and can do, per role and per tenant.</summary>
public sealed class DashboardBrowserTests(DashboardBrowserFixture fixture) : IClassFixture<DashboardBrowserFixture>
{
    private static readonly PageWaitForFunctionOptions Deadline = new() { Timeout = 30_000, PollingInterval = 100 };

    [Fact]
    public async Task Wrong_passwords_lock_the_account_and_then_even_the_right_one_is_refused()
    {
        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));

        for (var i = 1; i < DashboardBrowserFixture.MaxFailedSignIns; i++)
        {
            await session.SignInAsync(DashboardBrowserFixture.AcmeLocked, "wrong password " + i);
            Assert.Equal("Wrong email or password.", await session.Page.GetByRole(AriaRole.Alert).TextContentAsync());
        }

        await session.SignInAsync(DashboardBrowserFixture.AcmeLocked, "wrong password again");
        Assert.Contains("locked until", await session.Page.GetByRole(AriaRole.Alert).TextContentAsync());
        await session.SignInAsync(DashboardBrowserFixture.AcmeLocked, DashboardBrowserFixture.Password);
        await session.ScreenshotAsync("signin-locked");

        Assert.Contains("locked until", await session.Page.GetByRole(AriaRole.Alert).TextContentAsync());
        Assert.EndsWith("/dashboard/signin", session.Page.Url);
        Assert.DoesNotContain(await session.Context.CookiesAsync(), c => c.Name == "lt_dashboard");
    }

    [Fact]
    public async Task An_editor_creates_a_link_sees_it_listed_and_watches_its_click_arrive_in_chart_and_freshness()
    {
        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        await session.SignInAsync(DashboardBrowserFixture.AcmeEditor, DashboardBrowserFixture.Password);
        await session.ScreenshotAsync("overview");
        var page = session.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "New links" }).First.ClickAsync();
        await page.GetByLabel("Destination", new() { Exact = true }).FillAsync("https://shop.example/spring");
        await page.GetByLabel("Code (optional)").FillAsync("spring-sale");
        await page.Locator("#tags").FillAsync("promo, email");
        await page.Locator("#campaign").FillAsync("spring");
        await session.ScreenshotAsync("link-new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create link", Exact = true }).ClickAsync();

        Assert.EndsWith("/dashboard/links/spring-sale", page.Url);
        await page.Locator("canvas[data-ready=true]").WaitForAsync();
        Assert.Equal("0", await page.Locator("[data-total=clicks]").TextContentAsync());

        // A person clicks the link (over HTTP, like any redirect); the open page refreshes itself.
        using var clicker = fixture.Service.Client("acme");
        Assert.Equal(HttpStatusCode.Found, (await clicker.GetAsync("/spring-sale?r=ana")).StatusCode);
        await page.WaitForFunctionAsync("() => document.querySelector('canvas').getAttribute('data-clicks') === '1'", null, Deadline);

        Assert.Equal("1", await page.Locator("[data-total=human]").TextContentAsync());
        Assert.Equal("1", await page.Locator("[data-total=unique]").TextContentAsync());
        Assert.Matches(@"^(Up to date|\d+ s behind, \d+ clicks? waiting)", await page.Locator("[data-freshness]").TextContentAsync());
        await page.ReloadAsync();
        Assert.Equal("ana", await page.Locator("table.clicks tbody td").Nth(1).TextContentAsync());
        await session.ScreenshotAsync("link-detail");

        await page.GetByRole(AriaRole.Link, new() { Name = "Links", Exact = true }).ClickAsync();
        var row = page.Locator("tr[data-code='spring-sale']");
        Assert.Contains("https://shop.example/spring", await row.TextContentAsync());
        Assert.Equal($"{fixture.Origin("acme")}/spring-sale", await row.Locator("button[data-copy]").GetAttributeAsync("data-copy"));
        await page.GetByLabel("Text").FillAsync("SHOP.example");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        Assert.Equal(1, await page.Locator("tr[data-code='spring-sale']").CountAsync());
        await page.GetByLabel("Text").FillAsync("no-such-text");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        Assert.Equal("No links match.", await page.Locator(".empty").TextContentAsync());
        await session.ScreenshotAsync("links");
        session.AssertNoErrors();
    }

    [Fact]
    public async Task An_editor_pastes_a_list_edits_disables_expires_and_deletes_links()
    {
        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        await session.SignInAsync(DashboardBrowserFixture.AcmeEditor, DashboardBrowserFixture.Password);
        var page = session.Page;
        using var clicker = fixture.Service.Client("acme");

        await page.GotoAsync("/dashboard/links/new");
        await page.Locator("#list").FillAsync("https://a.example/1\nnot a url\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create links" }).ClickAsync();
        Assert.Contains("line 2 url", await page.GetByRole(AriaRole.Alert).TextContentAsync());
        await page.Locator("#list").FillAsync("https://batch.example/1\nhttps://batch.example/2\nhttps://batch.example/3");
        await page.Locator("#batchCampaign").FillAsync("batch-campaign");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create links" }).ClickAsync();
        Assert.Equal("3 links created.", await page.GetByRole(AriaRole.Status).First.TextContentAsync());

        await page.GotoAsync("/dashboard/links?campaign=batch-campaign");
        Assert.Equal(3, await page.Locator("table.links tbody tr").CountAsync());
        var code = await page.Locator("table.links tbody tr").First.GetAttributeAsync("data-code");

        await page.GotoAsync($"/dashboard/links/{code}/edit");
        await page.GetByLabel("Destination", new() { Exact = true }).FillAsync("https://batch.example/changed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        Assert.Contains("https://batch.example/changed", await page.Locator(".facts").TextContentAsync());
        Assert.Equal("https://batch.example/changed", (await clicker.GetAsync($"/{code}")).Headers.Location?.ToString());

        await page.GotoAsync($"/dashboard/links/{code}/edit");
        await session.ScreenshotAsync("link-edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        Assert.Equal("disabled", await page.Locator("[data-state]").TextContentAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await clicker.GetAsync($"/{code}")).StatusCode);
        await page.GotoAsync($"/dashboard/links/{code}/edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enable" }).ClickAsync();
        await page.GotoAsync($"/dashboard/links/{code}/edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Expire now" }).ClickAsync();
        Assert.Equal("expired", await page.Locator("[data-state]").TextContentAsync());
        Assert.Equal(HttpStatusCode.Gone, (await clicker.GetAsync($"/{code}")).StatusCode);

        await page.GotoAsync($"/dashboard/links/{code}/edit");
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        Assert.EndsWith("/dashboard/links", page.Url);
        Assert.Equal(0, await page.Locator($"tr[data-code='{code}']").CountAsync());
        Assert.Equal(404, (await page.GotoAsync($"/dashboard/links/{code}"))!.Status);
    }

    [Fact]
    public async Task A_viewer_reads_but_cannot_create_or_change_anything()
    {
        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        await session.SignInAsync(DashboardBrowserFixture.AcmeViewer, DashboardBrowserFixture.Password);
        var page = session.Page;

        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "New links" }).CountAsync());
        var denied = await page.GotoAsync("/dashboard/links/new");
        Assert.Equal(403, denied!.Status);
        Assert.Contains("Your role is viewer", await page.GetByRole(AriaRole.Alert).TextContentAsync());
        await page.GotoAsync("/dashboard/reports");
        Assert.Equal(0, await page.Locator("form #timeZone").CountAsync());
        await session.ScreenshotAsync("reports-viewer");

        // A forged form post (with a valid antiforgery token from the viewer's own session) is refused too.
        await page.GotoAsync("/dashboard/signout");
        var token = await page.Locator("input[name=__lt_form]").First.GetAttributeAsync("value");
        var answer = await page.EvaluateAsync<string>("""
            async token => {
              const r = await fetch('/dashboard/links/new?handler=One', { method: 'POST', body: new URLSearchParams({ url: 'https://viewer.example/', __lt_form: token }) });
              return r.status + ' ' + new URL(r.url).pathname;
            }
            """, token);
        Assert.Equal("403 /dashboard/denied", answer);
        session.ForgetErrors(); // the refused post's 403 answer
        await page.GotoAsync("/dashboard/links?q=viewer.example");
        Assert.Equal("No links match.", await page.Locator(".empty").TextContentAsync());
        session.AssertNoErrors();
    }

    [Fact]
    public async Task Reports_are_listed_and_download_as_json_and_csv()
    {
        var day = new DateOnly(2026, 11, 1);
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var report = ReportBuilder.Build("acme", day, "UTC", from, from.AddDays(1), new ClickDayCounts(
            5, 4, 3, [new LinkClickCounts("report-link", 5, 4, 3)], [new ReferrerClickCount("https://news.example/a", 5)]));
        await fixture.Service.Services.GetRequiredService<IReportStore>().SaveReportAsync(
            "acme", new StoredReport(day, "UTC", from, from.AddDays(1), from.AddDays(1), ReportBuilder.ToJson(report)), CancellationToken.None);
        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        await session.SignInAsync(DashboardBrowserFixture.AcmeEditor, DashboardBrowserFixture.Password);
        var page = session.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
        await session.ScreenshotAsync("reports");
        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "CSV" }).ClickAsync());
        var json = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "JSON" }).ClickAsync());

        Assert.Equal("report-acme-2026-11-01.csv", csv.SuggestedFilename);
        Assert.Contains("report-link", await File.ReadAllTextAsync((await csv.PathAsync())!));
        Assert.Equal(ReportBuilder.ToJson(report), await File.ReadAllTextAsync((await json.PathAsync())!));

        await page.GetByLabel("Time zone (IANA, e.g. Europe/Paris)").FillAsync("Mars/Olympus");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        Assert.Contains("not a time zone", await page.GetByRole(AriaRole.Alert).TextContentAsync());
        session.ForgetErrors(); // the refused form's 400 answer
        await page.GetByLabel("Time zone (IANA, e.g. Europe/Paris)").FillAsync("Europe/Paris");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        Assert.Equal("Settings saved.", await page.GetByRole(AriaRole.Status).First.TextContentAsync());
        Assert.Equal("Europe/Paris", (await fixture.Service.Services.GetRequiredService<IReportStore>().GetSettingsAsync("acme", CancellationToken.None))!.TimeZone);
        session.AssertNoErrors();
    }

    [Fact]
    public async Task Another_tenants_links_never_show_and_a_cookie_of_tenant_a_is_refused_on_tenant_b()
    {
        using (var acmeApi = fixture.Service.Client("acme", fixture.AcmeKey))
        {
            (await acmeApi.PostJsonAsync("/api/links", new { url = "https://acme.example/secret", code = "acme-secret" })).EnsureSuccessStatusCode();
        }

        await using var acme = await fixture.OpenAsync(fixture.Origin("acme"));
        await acme.SignInAsync(DashboardBrowserFixture.AcmeEditor, DashboardBrowserFixture.Password);
        var cookie = Assert.Single(await acme.Context.CookiesAsync(), c => c.Name == "lt_dashboard");

        await using var globex = await fixture.OpenAsync(fixture.Origin("globex"));
        await globex.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = cookie.Name, Value = cookie.Value, Domain = "globex.localhost", Path = "/dashboard" }]);
        await globex.Page.GotoAsync("/dashboard/links");
        Assert.Contains("/dashboard/signin", globex.Page.Url);
        Assert.Equal(401, (await globex.Page.GotoAsync("/dashboard/api/stats"))!.Status);

        await globex.SignInAsync(DashboardBrowserFixture.GlobexEditor, DashboardBrowserFixture.Password);
        await globex.Page.GotoAsync("/dashboard/links");
        Assert.Equal(0, await globex.Page.Locator("tr[data-code='acme-secret']").CountAsync());
        Assert.Equal(404, (await globex.Page.GotoAsync("/dashboard/links/acme-secret"))!.Status);
        Assert.Equal(404, (await globex.Page.GotoAsync("/dashboard/api/links/acme-secret/stats"))!.Status);
        await globex.Page.GotoAsync("/dashboard/signin");
        await globex.SignInAsync(DashboardBrowserFixture.AcmeEditor, DashboardBrowserFixture.Password);
        Assert.Equal("Wrong email or password.", await globex.Page.GetByRole(AriaRole.Alert).TextContentAsync());
    }

    [Fact]
    public async Task Pages_forbid_inline_scripts_and_show_no_console_errors()
    {
        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        await session.SignInAsync(DashboardBrowserFixture.AcmeViewer, DashboardBrowserFixture.Password);
        var page = session.Page;
        foreach (var path in new[] { "/dashboard", "/dashboard?range=24h", "/dashboard/links", "/dashboard/reports" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            Assert.Contains("script-src 'self'", response.Headers["content-security-policy"]);
        }

        await page.GotoAsync("/dashboard?range=30d");
        await page.Locator("canvas[data-ready=true]").WaitForAsync();
        await session.ScreenshotAsync("overview-30d");
        session.AssertNoErrors();

        // The policy is enforced: an injected inline script does not run and is reported.
        var ran = await page.EvaluateAsync<bool>("""
            () => { const s = document.createElement('script'); s.textContent = 'window.__inline = true'; document.body.appendChild(s); return window.__inline === true; }
            """);
        Assert.False(ran);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!session.Errors.ToArray().Any(e => e.StartsWith("csp: script-src", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "no CSP violation reported: " + string.Join(" | ", session.Errors));
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_operator_page_takes_the_ops_token_on_the_base_domain_and_shows_every_tenant()
    {
        await using var tenantHost = await fixture.OpenAsync(fixture.Origin("acme"));
        Assert.Equal(404, (await tenantHost.Page.GotoAsync("/ops/dashboard/signin"))!.Status);

        await using var session = await fixture.OpenAsync(fixture.OperatorOrigin);
        var page = session.Page;
        await page.GotoAsync("/ops/dashboard");
        Assert.Contains("/ops/dashboard/signin", page.Url);
        await page.GetByLabel("Operator token").FillAsync("not-the-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        Assert.Equal("Wrong operator token.", await page.GetByRole(AriaRole.Alert).TextContentAsync());
        session.ForgetErrors(); // the refused token's 401 answer
        await page.GetByLabel("Operator token").FillAsync(fixture.Service.OpsToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        Assert.EndsWith("/ops/dashboard", page.Url);
        Assert.Equal(1, await page.Locator("tr[data-tenant=acme]").CountAsync());
        Assert.Equal(1, await page.Locator("tr[data-tenant=globex]").CountAsync());
        Assert.NotNull(await page.Locator("[data-ops=lag]").TextContentAsync());
        await session.ScreenshotAsync("operator");
        session.AssertNoErrors();
    }
}
