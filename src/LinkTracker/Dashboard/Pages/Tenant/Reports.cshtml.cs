using LinkTracker.Core.Reports;
using LinkTracker.Reports;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinkTracker.Dashboard.Pages.Tenant;

/// <summary>The stored daily reports (downloads go through GET /api/reports/{date}'s own handler) and the settings, saved by PUT /api/settings's handler.</summary>
public sealed class ReportsModel(IReportStore store, TimeProvider time) : TenantPageModel
{
    public const int Shown = 90;

    public IReadOnlyList<ReportSummary> Reports { get; private set; } = [];

    public string TimeZone { get; private set; } = ReportSettings.DefaultTimeZone;

    public string? WebhookUrl { get; private set; }

    public string? NewSecret { get; private set; }

    public string? TestOutcome { get; private set; }

    public bool TestFailed { get; private set; }

    public IDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(
        string? timeZone, string? webhookUrl, bool rotateWebhookSecret, [FromServices] TenantContext tenant, [FromServices] IOptions<ReportsOptions> options,
        [FromServices] WebhookSecrets secrets, [FromServices] LinkTracker.Legacy.LegacySettingsService legacy, CancellationToken cancellationToken)
    {
        if (!IsEditor)
        {
            return Forbid(DashboardAuthentication.Scheme);
        }

        // The settings document is replaced whole: the page keeps the legacy fallback and not-found/gone addresses it does not show.
        var kept = await legacy.GetAsync(tenant.Slug, cancellationToken);
        var result = await ReportSettingsApi.PutSettingsAsync(
            new ReportSettingsRequest(timeZone, webhookUrl, rotateWebhookSecret, kept?.BaseUrl, kept?.NotFoundUrl, kept?.GoneUrl),
            tenant, store, time, options, secrets, legacy, cancellationToken);
        await LoadAsync(cancellationToken);
        switch (result.Result)
        {
            case Ok<ReportSettingsResponse> ok:
                NewSecret = ok.Value!.WebhookSecret;
                TempData["Message"] = "Settings saved.";
                return NewSecret is null ? LocalRedirect("/dashboard/reports") : Page();
            case ValidationProblem problem:
                Errors = problem.ProblemDetails.Errors;
                (TimeZone, WebhookUrl) = (timeZone ?? "", webhookUrl);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            default:
                return StatusCode(StatusCodes.Status500InternalServerError);
        }
    }

    /// <summary>"Send test": POST /api/reports/settings/webhook/test's own handler; the outcome is shown on the page.</summary>
    public async Task<IActionResult> OnPostTestAsync([FromServices] TenantContext tenant, [FromServices] LinkTracker.Webhooks.WebhookSender sender, CancellationToken cancellationToken)
    {
        if (!IsEditor)
        {
            return Forbid(DashboardAuthentication.Scheme);
        }

        var result = await ReportWebhookTestApi.TestWebhookAsync(tenant, store, sender, time, cancellationToken);
        await LoadAsync(cancellationToken);
        switch (result.Result)
        {
            case Ok<WebhookTestResponse> ok:
                TestOutcome = $"Test delivered: {ok.Value!.Target} answered {ok.Value.StatusCode}.";
                return Page();
            case ProblemHttpResult problem:
                Errors = new Dictionary<string, string[]> { ["webhook"] = [$"{problem.ProblemDetails.Title}: {problem.ProblemDetails.Detail}"] };
                TestFailed = true;
                Response.StatusCode = problem.StatusCode;
                return Page();
            default:
                return StatusCode(StatusCodes.Status500InternalServerError);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Reports = await store.ListReportsAsync(Tenant.Slug, DateOnly.MinValue, DateOnly.MaxValue, Shown, cancellationToken);
        var settings = await store.GetSettingsAsync(Tenant.Slug, cancellationToken);
        (TimeZone, WebhookUrl) = (settings?.TimeZone ?? ReportSettings.DefaultTimeZone, settings?.WebhookUrl);
    }
}
