using LinkTracker.Dashboard;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace LinkTracker.IntegrationTests.Dashboard;

/// <summary>
/// One service with the tenants acme and globex and their dashboard users, and Debian's Chromium driven by Playwright
/// (no browser download). Each test opens its own browser context, so cookies never leak between tests.
/// </summary>
public sealed class DashboardBrowserFixture : IAsyncLifetime
{
    public const string Password = "correct horse battery staple";
    public const string AcmeEditor = "ed@acme.example";
    public const string AcmeViewer = "vi@acme.example";
    public const string AcmeLocked = "lock@acme.example";
    public const string GlobexEditor = "ed@globex.example";
    public const int MaxFailedSignIns = 3;

    private IPlaywright? _playwright;

    public TestService Service { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string AcmeKey { get; private set; } = null!;

    /// <summary>Everything the service logged at Warning and above (the tests' log level).</summary>
    public CollectingLoggerProvider Log { get; } = new();

    /// <summary>$LINKTRACKER_TEST_RESULTS/dashboard, else a temp folder: one screenshot per page visited by the tests.</summary>
    public string Screenshots { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("LINKTRACKER_TEST_RESULTS") is { Length: > 0 } results ? results : Path.Combine(Path.GetTempPath(), "linktracker-test-results"),
        "dashboard");

    public async Task InitializeAsync()
    {
        // Webhooks may reach the tests' own receivers on 127.0.0.1.
        Service = await TestService.StartAsync(
            services => services.AddSingleton<ILoggerProvider>(Log), $"Dashboard:MaxFailedSignIns={MaxFailedSignIns}", "Reports:AllowPrivateWebhookTargets=true");
        AcmeKey = await Service.AddTenantAsync("acme");
        await Service.AddTenantAsync("globex");
        var users = Service.Services.GetRequiredService<DashboardUsers>();
        await users.AddAsync("acme", AcmeEditor, "editor", Password, CancellationToken.None);
        await users.AddAsync("acme", AcmeViewer, "viewer", Password, CancellationToken.None);
        await users.AddAsync("acme", AcmeLocked, "viewer", Password, CancellationToken.None);
        await users.AddAsync("globex", GlobexEditor, "editor", Password, CancellationToken.None);
        Directory.CreateDirectory(Screenshots);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>The tenant's dashboard origin; Chromium resolves every *.localhost name to the loopback address.</summary>
    public string Origin(string tenant) => $"http://{tenant}.localhost:{Service.Address.Port}";

    public string OperatorOrigin => $"http://localhost:{Service.Address.Port}";

    public async Task<BrowserSession> OpenAsync(string origin, ViewportSize? viewport = null) =>
        await BrowserSession.OpenAsync(Browser, origin, Screenshots, viewport);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Service.DisposeAsync();
    }
}
