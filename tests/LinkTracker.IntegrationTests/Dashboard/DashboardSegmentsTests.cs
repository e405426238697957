using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace LinkTracker.IntegrationTests.Dashboard;

/// <summary>The segments pages in a real browser: create (with the bad node's path), preview, run, recipients, CSV, roles and tenants.</summary>
public sealed class DashboardSegmentsTests(DashboardBrowserFixture fixture) : IClassFixture<DashboardBrowserFixture>
{
    private static readonly PageWaitForFunctionOptions Deadline = new() { Timeout = 30_000, PollingInterval = 100 };

    [Fact]
    public async Task An_editor_creates_previews_runs_a_segment_and_downloads_its_recipients()
    {
        using (var api = fixture.Service.Client("acme", fixture.AcmeKey))
        {
            (await api.PostJsonAsync("/api/links", new { url = "https://shop.example/seg", code = "seg-link", campaign = "seg-campaign" })).EnsureSuccessStatusCode();
        }

        using var clicker = fixture.Service.Client("acme");
        foreach (var recipient in new[] { "zoe", "ann", "max" })
        {
            Assert.Equal(HttpStatusCode.Found, (await clicker.GetAsync($"/seg-link?r={recipient}")).StatusCode);
        }

        await fixture.Service.WaitForWriterAsync();
        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        await session.SignInAsync(DashboardBrowserFixture.AcmeEditor, DashboardBrowserFixture.Password);
        var page = session.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "Segments", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "New segment" }).ClickAsync();
        Assert.Contains("\"clicked\"", await page.Locator("#filter").InputValueAsync());
        await page.Locator("#name").FillAsync("Seg campaign clickers");
        await page.Locator("#filter").FillAsync("""{"all": [{"clicked": {"campaign": "seg-campaign"}}, {"clicked": {"within": "forever"}}]}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create segment" }).ClickAsync();
        var error = page.Locator("#filter-errors li[data-error-path='filter.all[1].clicked.within']");
        Assert.Contains("filter.all[1].clicked.within", await error.TextContentAsync());
        Assert.Equal("Seg campaign clickers", await page.Locator("#name").InputValueAsync());
        await session.ScreenshotAsync("segment-new-invalid");
        session.ForgetErrors(); // the refused form's 422 answer

        await page.Locator("#filter").FillAsync("""{"clicked": {"campaign": "seg-campaign"}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview cost" }).ClickAsync();
        Assert.Equal("yes", await page.Locator("[data-preview=allowed]").TextContentAsync());
        Assert.Matches(@"^\d[\d,]*$", await page.Locator("[data-preview=rows]").TextContentAsync());
        await session.ScreenshotAsync("segment-preview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create segment" }).ClickAsync();
        Assert.Matches("/dashboard/segments/seg_[^/]+$", page.Url);
        var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];

        await page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        Assert.Contains("queued", await page.GetByRole(AriaRole.Status).First.TextContentAsync());
        await fixture.Service.WaitForJobsAsync();
        await page.ReloadAsync();
        Assert.Equal("completed", await page.Locator("table.runs tbody tr").First.GetAttributeAsync("data-state"));
        Assert.Equal("3", await page.Locator("[data-recipients-total]").TextContentAsync());
        Assert.Equal(["ann", "max", "zoe"], await page.Locator("ul.recipients li").AllTextContentsAsync());
        await session.ScreenshotAsync("segment-detail");

        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download all as CSV" }).ClickAsync());
        Assert.Equal("recipient\r\nann\r\nmax\r\nzoe\r\n", await File.ReadAllTextAsync((await csv.PathAsync())!));

        await page.GetByRole(AriaRole.Link, new() { Name = "Segments", Exact = true }).ClickAsync();
        var row = page.Locator($"tr[data-segment='{id}']");
        Assert.Contains("Seg campaign clickers", await row.TextContentAsync());
        Assert.Equal("3", await row.Locator("[data-recipients]").TextContentAsync());
        await session.ScreenshotAsync("segments");
        session.AssertNoErrors();

        // Another tenant's editor gets 404 for this id, on the page and on the CSV.
        await using var globex = await fixture.OpenAsync(fixture.Origin("globex"));
        await globex.SignInAsync(DashboardBrowserFixture.GlobexEditor, DashboardBrowserFixture.Password);
        Assert.Equal(404, (await globex.Page.GotoAsync($"/dashboard/segments/{id}"))!.Status);
        Assert.Equal(404, await globex.Page.EvaluateAsync<int>("async path => (await fetch(path)).status", $"/dashboard/segments/{id}/recipients.csv"));

        // Delete (the confirm dialog is accepted).
        await page.GotoAsync($"/dashboard/segments/{id}");
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        Assert.EndsWith("/dashboard/segments", page.Url);
        Assert.Equal(0, await page.Locator($"tr[data-segment='{id}']").CountAsync());
    }

    [Fact]
    public async Task A_viewer_sees_segments_without_forms_and_a_forged_run_is_refused()
    {
        string id;
        using (var api = fixture.Service.Client("acme", fixture.AcmeKey))
        {
            var created = await (await api.PostRawAsync("/api/segments", """{"name": "Viewer view", "filter": {"clicked": {}}}""")).ReadJsonAsync();
            id = (string)created["id"]!;
        }

        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        await session.SignInAsync(DashboardBrowserFixture.AcmeViewer, DashboardBrowserFixture.Password);
        var page = session.Page;

        await page.GotoAsync("/dashboard/segments");
        Assert.Equal(1, await page.Locator($"tr[data-segment='{id}']").CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "New segment" }).CountAsync());
        await page.GotoAsync($"/dashboard/segments/{id}");
        Assert.Equal(0, await page.Locator("main form").CountAsync());
        Assert.Contains("\"clicked\"", await page.Locator("[data-filter]").TextContentAsync());
        await session.ScreenshotAsync("segment-viewer");
        session.AssertNoErrors();
        Assert.Equal(403, (await page.GotoAsync("/dashboard/segments/new"))!.Status);

        // Forged posts with a valid antiforgery token of the viewer's own session: refused, nothing queued or deleted.
        await page.GotoAsync("/dashboard/signout");
        var token = await page.Locator("input[name=__lt_form]").First.GetAttributeAsync("value");
        foreach (var (path, fields) in new[]
        {
            ($"/dashboard/segments/{id}?handler=Run", ""),
            ($"/dashboard/segments/{id}?handler=Delete", ""),
            ("/dashboard/segments/new?handler=Create", "name=Forged&filter=%7B%22clicked%22%3A%7B%7D%7D&"),
        })
        {
            var answer = await page.EvaluateAsync<string>("""
                async ([path, fields, token]) => {
                  const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: fields + '__lt_form=' + encodeURIComponent(token) });
                  return r.status + ' ' + new URL(r.url).pathname;
                }
                """, new[] { path, fields, token });
            Assert.Equal("403 /dashboard/denied", answer);
        }

        session.ForgetErrors();
        await page.GotoAsync($"/dashboard/segments/{id}");
        Assert.Equal("Not run yet.", await page.Locator("p.empty").First.TextContentAsync());
        await page.GotoAsync("/dashboard/segments");
        Assert.Equal(0, await page.Locator("tr", new() { HasText = "Forged" }).CountAsync());
        session.AssertNoErrors();
    }
}
