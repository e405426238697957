using LinkTracker.Core.Legacy;
using LinkTracker.Core.Reports;
using LinkTracker.Legacy;
using LinkTracker.Links;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LinkTracker.Reports;

/// <summary>The tenant's report settings: time zone, webhook URL and its signing secret.</summary>
public static class ReportSettingsApi
{
    private const int MaxUrlLength = 2048;

    public static RouteGroupBuilder MapReportSettingsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/settings", GetSettingsAsync).WithTags("Reports").WithSummary("The time zone of your reports and their webhook");
        api.MapPut("/settings", PutSettingsAsync).WithTags("Reports")
            .WithSummary("Set the time zone and webhook; a new webhook secret is shown once, when it is made");
        return api.MapReportWebhookTestApi();
    }

    public static async Task<Ok<ReportSettingsResponse>> GetSettingsAsync(
        TenantContext tenant, IReportStore store, LegacySettingsService legacy, CancellationToken cancellationToken)
    {
        var saved = await store.GetSettingsAsync(tenant.Slug, cancellationToken);
        var pages = await legacy.GetAsync(tenant.Slug, cancellationToken);
        return TypedResults.Ok(saved is null
            ? new ReportSettingsResponse(ReportSettings.DefaultTimeZone, null, false, null, null, pages?.BaseUrl, pages?.NotFoundUrl, pages?.GoneUrl)
            : new ReportSettingsResponse(
                saved.TimeZone, saved.WebhookUrl, saved.WebhookSecret is not null, null, saved.UpdatedAt, pages?.BaseUrl, pages?.NotFoundUrl, pages?.GoneUrl));
    }

    public static async Task<Results<Ok<ReportSettingsResponse>, ValidationProblem>> PutSettingsAsync(
        ReportSettingsRequest body, TenantContext tenant, IReportStore store, TimeProvider time, IOptions<ReportsOptions> allowPrivate, WebhookSecrets secrets,
        LegacySettingsService legacy, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var timeZone = string.IsNullOrWhiteSpace(body.TimeZone) ? ReportSettings.DefaultTimeZone : body.TimeZone.Trim();
        if (ReportDay.FindTimeZone(timeZone) is null)
        {
            errors["timeZone"] = [$"'{body.TimeZone}' is not a time zone this service knows. Use an IANA id such as Europe/Paris, America/New_York or UTC."];
        }

        var url = string.IsNullOrWhiteSpace(body.WebhookUrl) ? null : body.WebhookUrl.Trim();
        if (url is not null && (url.Length > MaxUrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0))
        {
            errors["webhookUrl"] = [$"webhookUrl must be an absolute http or https URL of at most {MaxUrlLength} characters, without user:password, "
                + "e.g. https://hooks.example.com/linktracker."];
        }

        else if (url is not null && !allowPrivate.Value.AllowPrivateWebhookTargets && WebhookTargets.PrivateLiteral(new Uri(url)) is { } literal)
        {
            errors["webhookUrl"] = [$"webhookUrl points at {literal}, a private or special-purpose address (IANA special-purpose registries) that webhooks may not reach. Use a public host name or address."];
        }

        if (url is null && body.RotateWebhookSecret)
        {
            errors["rotateWebhookSecret"] = ["There is no webhook secret without a webhook: set webhookUrl too."];
        }

        var legacyBaseUrl = string.IsNullOrWhiteSpace(body.LegacyBaseUrl) ? null : body.LegacyBaseUrl.Trim();
        if (legacy.Validate(legacyBaseUrl) is { } legacyProblem)
        {
            errors["legacyBaseUrl"] = [legacyProblem];
        }

        var notFoundUrl = PageUrl(body.NotFoundUrl, "notFoundUrl", errors);
        var goneUrl = PageUrl(body.GoneUrl, "goneUrl", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var saved = await store.GetSettingsAsync(tenant.Slug, cancellationToken);
        string? secret = null, newSecret = null;
        if (url is not null)
        {
            secret = body.RotateWebhookSecret || saved?.WebhookSecret is null ? secrets.Protect(newSecret = WebhookSignature.NewSecret()) : saved.WebhookSecret;
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        await store.SaveSettingsAsync(tenant.Slug, new ReportSettings(timeZone, url, secret, now), cancellationToken);
        await legacy.SaveAsync(tenant.Slug, new LegacySettings(legacyBaseUrl, now, notFoundUrl, goneUrl), cancellationToken);
        return TypedResults.Ok(new ReportSettingsResponse(timeZone, url, secret is not null, newSecret, now, legacyBaseUrl, notFoundUrl, goneUrl));
    }

    /// <summary>A not-found or gone address is validated and stored like a link's destination; blank means none.</summary>
    private static string? PageUrl(string? given, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            return null;
        }

        if (LinkRules.NormalizeDestination(given.Trim(), out var url) is { } problem)
        {
            errors[field] = [problem.Replace("url ", field + " ", StringComparison.Ordinal)];
        }

        return url;
    }
}
