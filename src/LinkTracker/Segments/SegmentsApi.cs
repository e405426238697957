using System.Text.Json;
using LinkTracker.Api;
using LinkTracker.Core.Segments;
using LinkTracker.Core.Webhooks;
using LinkTracker.Reports;
using LinkTracker.Tenants;
using LinkTracker.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LinkTracker.Segments;

/// <summary>The tenant's segments: saved filters over its clicks (CRUD and a cost preview). Runs and recipients: <see cref="SegmentRunsApi"/>.</summary>
public static class SegmentsApi
{
    private const int MaxNameLength = 100;

    public static RouteGroupBuilder MapSegmentsApi(this RouteGroupBuilder api)
    {
        var segments = api.MapGroup("/segments").WithTags("Segments");
        segments.MapPost("/", CreateSegmentAsync).WithSummary("Save a segment {name, filter}; 422 names the path of a bad filter node");
        segments.MapGet("/", ListSegmentsAsync).WithSummary("Segments by id, with cursor paging");
        segments.MapPost("/preview", PreviewAsync).WithSummary("The click rows a run of {filter} would read, and whether that is allowed");
        segments.MapGet("/{id}", GetSegmentAsync).WithSummary("Read a segment");
        segments.MapPatch("/{id}", UpdateSegmentAsync).WithSummary("Change a segment's name, filter, schedule (\"daily\") or webhook ({url})");
        segments.MapDelete("/{id}", DeleteSegmentAsync).WithSummary("Delete a segment with its runs and recipients");
        return segments.MapSegmentRunsApi();
    }

    public static async Task<Results<Created<SegmentResponse>, ProblemHttpResult>> CreateSegmentAsync(
        SegmentRequest request, TenantContext tenant, ISegmentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = Name(request.Name, errors);
        var filter = Filter(request.Filter, errors);
        if (errors.Count > 0 || name is null || filter is not { } valid)
        {
            return SegmentProblems.Invalid(errors);
        }

        var now = Now(time);
        var segment = new Segment(SegmentIds.NewSegment(), name, valid.Json, now, now);
        await store.AddAsync(tenant.Slug, segment, cancellationToken);
        return TypedResults.Created($"/api/segments/{segment.Id}", SegmentResponse.From(segment));
    }

    public static async Task<Results<Ok<SegmentListResponse>, ValidationProblem>> ListSegmentsAsync(
        TenantContext tenant, ISegmentStore store, Cursors cursors, CancellationToken cancellationToken, string? cursor = null, int? limit = null)
    {
        var (pageSize, problem) = Paging.Limit(limit);
        if (problem is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [problem] });
        }

        var scope = tenant.Slug + "/segments";
        var found = await store.ListAsync(tenant.Slug, cursors.Decode(scope, cursor), pageSize + 1, cancellationToken);
        var page = found.Take(pageSize).Select(s => SegmentResponse.From(s)).ToList();
        return TypedResults.Ok(new SegmentListResponse(page, found.Count > pageSize ? cursors.Encode(scope, page[^1].Id) : null));
    }

    public static async Task<Results<Ok<SegmentResponse>, ProblemHttpResult>> GetSegmentAsync(
        string id, TenantContext tenant, ISegmentStore store, ISegmentDeliveryStore deliveries, CancellationToken cancellationToken) =>
        await FindAsync(id, tenant, store, cancellationToken) is { } segment
            ? TypedResults.Ok(SegmentResponse.From(segment, await deliveries.GetAsync(tenant.Slug, id, cancellationToken)))
            : SegmentProblems.NotFound(id);

    public static async Task<Results<Ok<SegmentResponse>, ProblemHttpResult>> UpdateSegmentAsync(
        string id, SegmentRequest request, TenantContext tenant, ISegmentStore store, ISegmentDeliveryStore deliveries, WebhookSecrets secrets,
        IOptions<ReportsOptions> reports, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, tenant, store, cancellationToken) is not { } segment)
        {
            return SegmentProblems.NotFound(id);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Name is null && request.Filter is null && !SegmentDeliveryPatch.IsPresent(request.Schedule) && !SegmentDeliveryPatch.IsPresent(request.Webhook))
        {
            errors[""] = ["Send name, filter, schedule or webhook: a PATCH changes only the fields it has."];
        }

        var name = request.Name is null ? segment.Name : Name(request.Name, errors);
        var filter = request.Filter is null ? segment.Filter : Filter(request.Filter, errors)?.Json;
        var saved = await deliveries.GetAsync(tenant.Slug, id, cancellationToken);
        var now = Now(time);
        var (delivery, newSecret) = SegmentDeliveryPatch.Apply(
            id, saved, request.Schedule, request.Webhook, reports.Value.AllowPrivateWebhookTargets, secrets, now, errors);
        if (errors.Count > 0 || name is null || filter is null)
        {
            return SegmentProblems.Invalid(errors); // nothing written: every field is checked first
        }

        var changed = segment;
        if (request.Name is not null || request.Filter is not null)
        {
            changed = segment with { Name = name, Filter = filter, UpdatedAt = now };
            if (!await store.UpdateAsync(tenant.Slug, changed, cancellationToken))
            {
                return SegmentProblems.NotFound(id);
            }
        }

        if (delivery is not null)
        {
            await deliveries.SaveAsync(tenant.Slug, delivery, cancellationToken);
        }

        return TypedResults.Ok(SegmentResponse.From(changed, delivery ?? saved, newSecret));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSegmentAsync(
        string id, TenantContext tenant, ISegmentStore store, CancellationToken cancellationToken) =>
        SegmentIds.IsWellFormed(id, "seg_") && await store.DeleteAsync(tenant.Slug, id, cancellationToken) ? TypedResults.NoContent() : SegmentProblems.NotFound(id);

    public static async Task<Results<Ok<SegmentPreviewResponse>, ProblemHttpResult>> PreviewAsync(
        SegmentPreviewRequest request, TenantContext tenant, SegmentCost cost, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (Filter(request.Filter, errors) is not { } filter)
        {
            return SegmentProblems.Invalid(errors);
        }

        try
        {
            return TypedResults.Ok(await cost.EstimateAsync(tenant.Slug, filter.Tree, Now(time), cancellationToken));
        }
        catch (SegmentTimeoutException timeout)
        {
            return SegmentProblems.TooSlow(timeout);
        }
    }

    internal static async Task<Segment?> FindAsync(string id, TenantContext tenant, ISegmentStore store, CancellationToken cancellationToken) =>
        SegmentIds.IsWellFormed(id, "seg_") ? await store.GetAsync(tenant.Slug, id, cancellationToken) : null;

    /// <summary>Milliseconds: what both engines keep, so a stored time reads back equal.</summary>
    internal static DateTimeOffset Now(TimeProvider time) => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    private static string? Name(string? name, Dictionary<string, string[]> errors)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxNameLength || trimmed.Any(char.IsControl))
        {
            errors["name"] = [$"name is required: 1 to {MaxNameLength} characters without control characters, e.g. \"Engaged last week\"."];
            return null;
        }

        return trimmed;
    }

    /// <returns>The filter's JSON as stored (compact) and its tree, or null with errors keyed by the bad node's path.</returns>
    internal static (string Json, SegmentFilter Tree)? Filter(JsonElement? json, Dictionary<string, string[]> errors)
    {
        if (json is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } filter)
        {
            errors["filter"] = ["filter is required: a tree of all/any/not and clicked/clicks nodes, e.g. {\"clicked\": {\"campaign\": \"spring\", \"within\": \"P7D\"}}."];
            return null;
        }

        var (parsed, problems) = SegmentFilterParser.Parse(filter);
        foreach (var (path, messages) in problems)
        {
            errors[path] = messages;
        }

        return parsed is null ? null : (JsonSerializer.Serialize(filter), parsed);
    }
}
