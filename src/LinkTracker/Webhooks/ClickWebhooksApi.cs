using System.Buffers.Binary;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Webhooks;
using LinkTracker.Reports;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LinkTracker.Webhooks;

/// <summary>The tenant's click webhook: link.clicked events in signed batches, optionally only some campaigns' or tags' clicks.</summary>
public static class ClickWebhooksApi
{
    private const int MaxFilterValues = 100;
    private const int MaxFilterValueLength = 200;

    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/webhooks/clicks").WithTags("Webhooks");
        hooks.MapGet("/", GetAsync).WithSummary("Your click webhook, how far its deliveries are, and whether they are paused");
        hooks.MapPut("/", PutAsync).WithSummary("Set the click webhook {url, campaigns?, tags?}; a new secret is shown once, when it is made");
        hooks.MapDelete("/", DeleteAsync).WithSummary("Remove the click webhook; deliveries stop");
        return api;
    }

    public static async Task<Results<Ok<ClickWebhookResponse>, ProblemHttpResult>> GetAsync(
        TenantContext tenant, IClickWebhookStore store, IJobQueue queue, CancellationToken cancellationToken) =>
        await store.GetAsync(tenant.Slug, cancellationToken) is { } webhook
            ? TypedResults.Ok(await ResponseAsync(tenant.Slug, webhook, null, queue, cancellationToken))
            : NotSet();

    public static async Task<Results<Ok<ClickWebhookResponse>, ValidationProblem>> PutAsync(
        ClickWebhookRequest body, TenantContext tenant, IClickWebhookStore store, IJobQueue queue, WebhookSecrets secrets, TimeProvider time,
        IOptions<ReportsOptions> reports, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var url = body.Url?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            errors["url"] = ["url is required, e.g. https://hooks.example.com/clicks. To stop deliveries, DELETE /api/webhooks/clicks."];
        }
        else if (WebhookUrls.Problem("url", url, reports.Value.AllowPrivateWebhookTargets) is { } problem)
        {
            errors["url"] = [problem];
        }

        var campaigns = Values("campaigns", body.Campaigns, errors);
        var tags = Values("tags", body.Tags, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var saved = await store.GetAsync(tenant.Slug, cancellationToken);
        string? newSecret = null;
        var secret = body.RotateSecret || saved is null ? secrets.Protect(newSecret = WebhookSignature.NewSecret()) : saved.Secret;
        // A new webhook starts with the clicks of now on; one already set keeps its cursor (the store decides, atomically).
        var webhook = await store.SaveAsync(tenant.Slug, new ClickWebhook(url!, secret, campaigns, tags, ClickIdBounds.SmallestAt(now), now), cancellationToken);

        // Deliveries start (or resume after a dead letter) now rather than at the scheduler's next look.
        await queue.RedriveAsync(ClickWebhookJob.Id(tenant.Slug), cancellationToken);
        await queue.EnqueueAsync(ClickWebhookJob.For(tenant.Slug), null, cancellationToken);
        return TypedResults.Ok(await ResponseAsync(tenant.Slug, webhook, newSecret, queue, cancellationToken));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        TenantContext tenant, IClickWebhookStore store, TimeProvider time, CancellationToken cancellationToken) =>
        await store.RemoveAsync(tenant.Slug, time.GetUtcNow(), cancellationToken) ? TypedResults.NoContent() : NotSet();

    private static async Task<ClickWebhookResponse> ResponseAsync(string tenant, ClickWebhook webhook, string? newSecret, IJobQueue queue, CancellationToken cancellationToken)
    {
        var dead = await queue.GetDeadAsync(ClickWebhookJob.Id(tenant), cancellationToken);
        return new ClickWebhookResponse(
            webhook.Url, webhook.Campaigns, webhook.Tags, newSecret, TimeOf(webhook.Cursor), dead is not null, dead?.LastError, webhook.UpdatedAt);
    }

    /// <summary>The millisecond a UUIDv7 begins with.</summary>
    private static DateTimeOffset TimeOf(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes) >>> 16);
    }

    private static string[] Values(string field, string[]? values, Dictionary<string, string[]> errors)
    {
        var trimmed = (values ?? []).Select(v => v?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToArray();
        if (trimmed.Length > MaxFilterValues || trimmed.Any(v => v.Length == 0 || v.Length > MaxFilterValueLength || v.Any(char.IsControl)))
        {
            errors[field] = [$"{field} is a list of at most {MaxFilterValues} names of 1 to {MaxFilterValueLength} characters without control characters, "
                + $"e.g. [\"spring\"]; leave it out to receive every click."];
        }

        return trimmed;
    }

    private static ProblemHttpResult NotSet() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No click webhook",
        detail: "This tenant has no click webhook. Set one with PUT /api/webhooks/clicks {\"url\": \"https://hooks.example.com/clicks\"}.");
}
