using System.Globalization;
using System.Net.Http.Headers;
using LinkTracker.Reports;
using Microsoft.Extensions.Options;

namespace LinkTracker.Webhooks;

/// <summary>
/// POSTs one signed delivery (<see cref="WebhookSignature"/>) to a tenant's webhook: reports, click batches and segment
/// recipients alike. Anything but a 2xx within <see cref="ReportsOptions.WebhookTimeout"/> throws with a message that
/// says what happened, so the job that called it fails and the queue retries it with backoff, then dead-letters it.
/// </summary>
public sealed class WebhookSender(WebhookSecrets secrets, IHttpClientFactory clients, IOptions<ReportsOptions> options, TimeProvider time)
{
    public const string EventHeader = "X-LinkTracker-Event";
    public const string DeliveryHeader = "X-LinkTracker-Delivery";

    /// <param name="url">Where to POST.</param>
    /// <param name="storedSecret">The secret as the store holds it (protected).</param>
    /// <param name="eventName">Sent as X-LinkTracker-Event.</param>
    /// <param name="deliveryId">Sent as X-LinkTracker-Delivery: the same on every retry, so receivers drop a repeat.</param>
    /// <param name="body">The JSON body, signed as sent.</param>
    /// <param name="what">What is sent again after a failure, for the error message (e.g. "the report").</param>
    /// <param name="cancellationToken">Stops the attempt.</param>
    public async Task SendAsync(string url, string storedSecret, string eventName, string deliveryId, byte[] body, string what, CancellationToken cancellationToken)
    {
        WebhookAnswer answer;
        try
        {
            answer = await PostAsync(url, storedSecret, eventName, deliveryId, body, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; {what} is sent again after a backoff.");
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"{e.Message}; {what} is sent again after a backoff.", e.InnerException);
        }

        if (!answer.IsSuccess)
        {
            throw new HttpRequestException($"The webhook {answer.Target} answered {answer.StatusCode} {answer.ReasonPhrase}; {what} is sent again after a backoff.");
        }
    }

    /// <summary>One signed POST, whatever the target answers (a test delivery reports the status).</summary>
    /// <exception cref="TimeoutException">No answer within <see cref="ReportsOptions.WebhookTimeout"/>.</exception>
    /// <exception cref="HttpRequestException">The target could not be reached (refused, unresolvable, a private address).</exception>
    public async Task<WebhookAnswer> PostAsync(string url, string storedSecret, string eventName, string deliveryId, byte[] body, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var target = Redacted(url);
        var timeoutAfter = options.Value.WebhookTimeout;

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secrets.Reveal(storedSecret), timestamp, body));
        request.Headers.Add(EventHeader, eventName);
        request.Headers.Add(DeliveryHeader, deliveryId);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeoutAfter);
        try
        {
            using var response = await clients.CreateClient(ReportsExtensions.WebhookClient).SendAsync(request, timeout.Token);
            return new WebhookAnswer(target, (int)response.StatusCode, response.ReasonPhrase);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The webhook {target} did not answer within {timeoutAfter.TotalSeconds} s");
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"The webhook {target} could not be reached ({e.Message})", e);
        }
    }

    /// <summary>The URL without its query: tokens in it stay out of logs and dead letters.</summary>
    public static string Redacted(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : "(invalid URL)";
}
