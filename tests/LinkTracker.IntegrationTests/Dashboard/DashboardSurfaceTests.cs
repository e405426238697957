using System.Globalization;
using System.Text;
using LinkTracker.Core.Jobs;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.IntegrationTests.Reports;
using LinkTracker.Reports;
using LinkTracker.Runbook.Doctor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LinkTracker.IntegrationTests.Dashboard;

/// <summary>What the dashboard sends besides its pages (cache headers, QR images, webhook tests) and the operator page's doctor.</summary>
public sealed class DashboardSurfaceTests(DashboardBrowserFixture fixture) : IClassFixture<DashboardBrowserFixture>
{
    private static readonly PageWaitForFunctionOptions Deadline = new() { Timeout = 30_000, PollingInterval = 100 };

    [Fact]
    public async Task Pages_with_a_form_forbid_caching_as_antiforgery_wants_so_it_never_overrides_the_headers_or_warns()
    {
        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        var page = session.Page;
        var signIn = await page.GotoAsync("/dashboard/signin"); // anonymous
        await session.SignInAsync(DashboardBrowserFixture.AcmeEditor, DashboardBrowserFixture.Password);
        var newLinks = await page.GotoAsync("/dashboard/links/new"); // signed in: the security headers' "no-store" case too
        await using var ops = await fixture.OpenAsync(fixture.OperatorOrigin);
        var operatorSignIn = await ops.Page.GotoAsync("/ops/dashboard/signin");

        Assert.True(await page.Locator("input[name=__lt_form]").CountAsync() > 0); // tokens were made: antiforgery had its say
        Assert.DoesNotContain(fixture.Log.Entries, e => e.Category.StartsWith("Microsoft.AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Log.Entries, e => e.Message.Contains("'Cache-Control' and 'Pragma' headers have been overridden", StringComparison.Ordinal));
        foreach (var response in new[] { signIn!, newLinks!, operatorSignIn! })
        {
            Assert.Equal(200, response.Status);
            Assert.Equal(("no-cache, no-store", "no-cache"), (response.Headers["cache-control"], response.Headers["pragma"]));
        }
    }

    [Fact]
    public async Task A_links_page_shows_its_QR_code_served_through_the_session()
    {
        using (var api = fixture.Service.Client("acme", fixture.AcmeKey))
        {
            (await api.PostJsonAsync("/api/links", new { url = "https://acme.example/poster", code = "poster" })).EnsureSuccessStatusCode();
        }

        await using var session = await fixture.OpenAsync(fixture.Origin("acme"));
        await session.SignInAsync(DashboardBrowserFixture.AcmeViewer, DashboardBrowserFixture.Password);
        var page = session.Page;
        await page.GotoAsync("/dashboard/links/poster");
        var image = page.GetByRole(AriaRole.Img, new() { Name = $"QR code of {fixture.Origin("acme")}/poster" });
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('.qr img'); return i.complete && i.naturalWidth > 0; }", null, Deadline);
        await session.ScreenshotAsync("link-detail-qr");

        var src = await image.GetAttributeAsync("src");
        Assert.StartsWith("/dashboard/api/links/poster/qr", src, StringComparison.Ordinal);
        Assert.Equal("200 image/svg+xml", await FetchAsync(page, src!));
        await using var anonymous = await fixture.OpenAsync(fixture.Origin("acme"));
        await anonymous.Page.GotoAsync("/dashboard/signin");
        Assert.Equal("401 ", await FetchAsync(anonymous.Page, src!)); // the session's cookie lets it through, nothing else
        session.AssertNoErrors();
    }

    /// <returns>"status content-type" of a GET from the page, with its cookies (the image's own request).</returns>
    private static Task<string> FetchAsync(IPage page, string url) => page.EvaluateAsync<string>(
        "u => fetch(u, { credentials: 'same-origin' }).then(r => r.status + ' ' + (r.ok ? r.headers.get('content-type') : ''))", url);

    [Fact]
    public async Task Send_test_delivers_a_signed_test_event_to_the_webhook_and_the_page_says_so()
    {
        using var receiver = new WebhookReceiver(failures: 0);
        await using var session = await fixture.OpenAsync(fixture.Origin("globex"));
        await session.SignInAsync(DashboardBrowserFixture.GlobexEditor, DashboardBrowserFixture.Password);
        var page = session.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
        await page.GetByLabel("Webhook URL (empty = no webhook)").FillAsync(receiver.Url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        var secret = await page.Locator("[data-secret]").TextContentAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
        await session.ScreenshotAsync("reports-webhook-test");

        Assert.Equal($"Test delivered: {receiver.Url} answered 204.", await page.Locator("[data-webhook-test]").TextContentAsync());
        var delivery = Assert.Single(await receiver.WaitForAsync(1));
        var timestamp = long.Parse(delivery.Headers[WebhookSignature.TimestampHeader], CultureInfo.InvariantCulture);
        Assert.True(WebhookSignature.Verify(secret!, timestamp, delivery.Body, delivery.Headers[WebhookSignature.SignatureHeader]));
        Assert.Equal(ReportWebhookTestApi.EventName, delivery.Headers["X-LinkTracker-Event"]);
        Assert.StartsWith("{\"event\":\"report.test\",\"tenant\":\"globex\"", Encoding.UTF8.GetString(delivery.Body), StringComparison.Ordinal);
        session.AssertNoErrors();
    }

    [Fact]
    public async Task The_operator_page_shows_the_doctors_findings_with_their_runbook_section()
    {
        // A service of its own: the finding (a poison job, dead-lettered) must not reach the other tests' operator page.
        await using var service = await TestService.StartAsync(
            "Jobs:DailyAt=23:59:59", "Jobs:MaxAttempts=2", "Jobs:BaseDelay=00:00:00.050", "Jobs:MaxDelay=00:00:00.100");
        await service.AddTenantAsync("acme");
        await service.Services.GetRequiredService<IJobQueue>().EnqueueAsync(new JobRequest("report", "acme", "not json", "report:acme:poison"), null, CancellationToken.None);
        var doctor = service.Services.GetRequiredService<Runbook.Doctor.Doctor>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await doctor.ExamineAsync(CancellationToken.None)).Problems.Any(p => p.Check == "dead-letters"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the poison job was not dead-lettered in time");
            await Task.Delay(50);
        }

        await using var session = await fixture.OpenAsync($"http://localhost:{service.Address.Port}");
        var page = session.Page;
        await page.GotoAsync("/ops/dashboard/signin");
        await page.GetByLabel("Operator token").FillAsync(service.OpsToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await session.ScreenshotAsync("operator-doctor");

        Assert.Equal("action", await page.Locator("[data-doctor]").GetAttributeAsync("data-doctor"));
        var problem = page.Locator("li[data-problem=dead-letters]");
        Assert.Equal("action", await problem.GetAttributeAsync("data-severity"));
        Assert.Equal("(tenant acme)", await problem.Locator("[data-tenant=acme]").TextContentAsync());
        Assert.Contains("report:acme:poison (2 attempts)", await problem.Locator(".note").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(RunbookSections.DeadLetters, await problem.Locator("[data-runbook]").TextContentAsync());
        session.AssertNoErrors();
    }
}
