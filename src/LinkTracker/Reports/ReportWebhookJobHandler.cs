using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Reports;
using LinkTracker.Jobs;
using Microsoft.Extensions.Options;

namespace LinkTracker.Reports;

/// <summary>
/// POSTs a stored report to the tenant's webhook, signed (<see cref="WebhookSignature"/>). Anything but a 2xx within
/// <see cref="ReportsOptions.WebhookTimeout"/> throws, so the queue retries with backoff and finally dead-letters it.
/// Delivery is at least once: receivers drop repeats by the X-LinkTracker-Delivery header.
/// </summary>
public sealed partial class ReportWebhookJobHandler(
    IReportStore store,
    WebhookSecrets secrets,
    IHttpClientFactory clients,
    IOptions<ReportsOptions> options,
    TimeProvider time,
    ILogger<ReportWebhookJobHandler> logger) : IJobHandler
{
    public const string EventName = "report.daily";

    public async Task RunAsync(JobLease job, CancellationToken cancellationToken)
    {
        var tenant = job.Tenant ?? throw new InvalidOperationException("A report-webhook job names its tenant; this one names none.");
        var payload = JsonSerializer.Deserialize<ReportWebhookPayload>(job.Payload, ReportJob.Json)
            ?? throw new InvalidOperationException("The report-webhook job's payload is empty; it should be {\"date\": \"yyyy-MM-dd\"}.");
        var settings = await store.GetSettingsAsync(tenant, cancellationToken);
        if (settings?.WebhookUrl is not { } url || settings.WebhookSecret is not { } secret)
        {
            // The tenant removed its webhook since the report was made: nothing to deliver, nothing to retry.
            LogNoWebhook(logger, tenant, payload.Date);
            return;
        }

        var report = await store.GetReportAsync(tenant, payload.Date, cancellationToken) ?? throw new InvalidOperationException(
            $"No report of {payload.Date:yyyy-MM-dd} is stored for tenant '{tenant}', so there is nothing to deliver; make it with POST /api/reports.");
        // The stored content goes in as it is, so the receiver gets the very bytes GET /api/reports/{date} serves.
        var body = Encoding.UTF8.GetBytes(
            $"{{\"event\":\"{EventName}\",\"tenant\":{JsonSerializer.Serialize(tenant)},\"date\":\"{payload.Date:yyyy-MM-dd}\",\"report\":{report.Content}}}");
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var target = Redacted(url);

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secrets.Reveal(secret), timestamp, body));
        request.Headers.Add("X-LinkTracker-Event", EventName);
        request.Headers.Add("X-LinkTracker-Delivery", job.Id);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.WebhookTimeout);
        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(ReportsExtensions.WebhookClient).SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The webhook {target} did not answer within {options.Value.WebhookTimeout.TotalSeconds} s; the report is sent again after a backoff.");
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"The webhook {target} could not be reached ({e.Message}); the report is sent again after a backoff.", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(
                    $"The webhook {target} answered {(int)response.StatusCode} {response.ReasonPhrase}; the report is sent again after a backoff.");
            }
        }

        LogDelivered(logger, tenant, payload.Date, target, job.Attempt);
    }

    /// <summary>The URL without its query: tokens in it stay out of logs and dead letters.</summary>
    private static string Redacted(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : "(invalid URL)";

    [LoggerMessage(Level = LogLevel.Information, Message = "Report of tenant {Tenant} for {Date:yyyy-MM-dd} delivered to {Target} on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string tenant, DateOnly date, string target, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report of tenant {Tenant} for {Date:yyyy-MM-dd} not delivered: the tenant has no webhook any more")]
    private static partial void LogNoWebhook(ILogger logger, string tenant, DateOnly date);
}
