using System.Text;
using System.Text.Json;
using LinkTracker.Core.Reports;
using LinkTracker.Tenants;
using LinkTracker.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.Reports;

/// <summary>
/// POST /api/reports/settings/webhook/test: one signed sample delivery to the report webhook now, through the same
/// <see cref="WebhookSender"/> and address guard as the daily reports, so a receiver can be checked before the first report.
/// </summary>
public static class ReportWebhookTestApi
{
    public const string EventName = "report.test";

    public static RouteGroupBuilder MapReportWebhookTestApi(this RouteGroupBuilder api)
    {
        api.MapPost("/reports/settings/webhook/test", TestWebhookAsync).WithTags("Reports")
            .WithSummary("Send one signed sample payload to the report webhook now; 200 with the target's status, 409 without a webhook, 502 when it fails");
        return api;
    }

    public static async Task<Results<Ok<WebhookTestResponse>, ProblemHttpResult>> TestWebhookAsync(
        TenantContext tenant, IReportStore store, WebhookSender sender, TimeProvider time, CancellationToken cancellationToken)
    {
        var settings = await store.GetSettingsAsync(tenant.Slug, cancellationToken);
        if (settings?.WebhookUrl is not { } url || settings.WebhookSecret is not { } secret)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No report webhook is set",
                detail: "Set one first with PUT /api/settings {\"webhookUrl\": \"https://hooks.example.com/linktracker\"} (or on the dashboard's Reports page), then send a test.");
        }

        var deliveryId = $"report-webhook-test:{tenant.Slug}:{Guid.CreateVersion7():N}";
        var body = Encoding.UTF8.GetBytes(
            $"{{\"event\":\"{EventName}\",\"tenant\":{JsonSerializer.Serialize(tenant.Slug)},\"sentAt\":{JsonSerializer.Serialize(time.GetUtcNow())},\"report\":null}}");
        try
        {
            var answer = await sender.PostAsync(url, secret, EventName, deliveryId, body, cancellationToken);
            return answer.IsSuccess
                ? TypedResults.Ok(new WebhookTestResponse(answer.Target, answer.StatusCode, deliveryId))
                : Failed($"The webhook {answer.Target} answered {answer.StatusCode} {answer.ReasonPhrase}. Make the receiver answer 2xx to a signed POST "
                    + $"(event {EventName}); daily reports that get this answer are retried, then dead-lettered.", answer.StatusCode);
        }
        catch (Exception e) when (e is TimeoutException or HttpRequestException)
        {
            return Failed(e.Message + ". Check the URL, that the receiver is up and reachable from this service, and that it is not on a private address.", null);
        }
    }

    private static ProblemHttpResult Failed(string detail, int? targetStatus) => TypedResults.Problem(
        statusCode: StatusCodes.Status502BadGateway, title: "The test delivery failed", detail: detail,
        extensions: new Dictionary<string, object?> { ["targetStatus"] = targetStatus });
}
