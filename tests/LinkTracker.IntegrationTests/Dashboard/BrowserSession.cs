using Microsoft.Playwright;

namespace LinkTracker.IntegrationTests.Dashboard;

/// <summary>
/// A browser context on one origin with a page that records console errors and Content-Security-Policy violations
/// (the securitypolicyviolation event, hooked before any page script runs).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly string _screenshots;

    private BrowserSession(IBrowserContext context, IPage page, string screenshots)
    {
        Context = context;
        Page = page;
        _screenshots = screenshots;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (Errors)
                {
                    Errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (Errors)
            {
                Errors.Add("uncaught: " + error);
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Console errors, uncaught exceptions and CSP violations ("csp: ...") seen so far.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>A new context on <paramref name="origin"/>, its window <paramref name="viewport"/> in size (a desktop's 1100x900 when not given).</summary>
    public static async Task<BrowserSession> OpenAsync(IBrowser browser, string origin, string screenshots, ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = origin, ViewportSize = viewport ?? new() { Width = 1100, Height = 900 } });
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', function (e) {
              console.error('csp: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline'));
            });
            """);
        return new BrowserSession(context, await context.NewPageAsync(), screenshots);
    }

    public async Task SignInAsync(string email, string password)
    {
        await Page.GotoAsync("/dashboard/signin");
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Saves a full-page screenshot as a test artefact.</summary>
    public async Task ScreenshotAsync(string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_screenshots, name + ".png"), FullPage = true });

    /// <summary>Forgets what was logged so far: a page answered with a deliberate 4xx logs "Failed to load resource".</summary>
    public void ForgetErrors()
    {
        lock (Errors)
        {
            Errors.Clear();
        }
    }

    public void AssertNoErrors()
    {
        lock (Errors)
        {
            Assert.True(Errors.Count == 0, "Console errors or CSP violations: " + string.Join(" | ", Errors));
        }
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
