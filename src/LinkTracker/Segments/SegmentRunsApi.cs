using System.Globalization;
using System.Text;
using System.Text.Json;
using LinkTracker.Api;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Segments;
using LinkTracker.Reports;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LinkTracker.Segments;

/// <summary>Runs of a segment through the job queue (202 and a status to poll), and the recipients of its last completed run.</summary>
public static class SegmentRunsApi
{
    private const int CsvPage = 1000;

    public static RouteGroupBuilder MapSegmentRunsApi(this RouteGroupBuilder segments)
    {
        segments.MapPost("/{id}/runs", RunSegmentAsync).WithSummary("Run the segment in the background; 202 with a status to poll, 422/429 when refused");
        segments.MapGet("/{id}/runs/{runId}", GetRunAsync).WithSummary("A run's state, timing and recipient count");
        segments.MapGet("/{id}/recipients", GetRecipientsAsync)
            .WithSummary("The recipients of the last completed run, with its asOf; ?format=csv for all of them as CSV");
        return segments;
    }

    public static async Task<Results<Accepted<SegmentRunResponse>, ProblemHttpResult>> RunSegmentAsync(
        string id, TenantContext tenant, ISegmentStore store, SegmentCost cost, IJobQueue queue, TimeProvider time,
        IOptions<SegmentsOptions> options, CancellationToken cancellationToken)
    {
        if (await SegmentsApi.FindAsync(id, tenant, store, cancellationToken) is not { } segment)
        {
            return SegmentProblems.NotFound(id);
        }

        using var json = JsonDocument.Parse(segment.Filter);
        var filter = SegmentFilterParser.Parse(json.RootElement).Filter
            ?? throw new InvalidOperationException($"Segment {id} holds a filter that no longer validates.");
        var now = SegmentsApi.Now(time);
        try
        {
            if (await cost.EstimateAsync(tenant.Slug, filter, now, cancellationToken) is { Allowed: false } preview)
            {
                return SegmentProblems.TooCostly(preview);
            }
        }
        catch (SegmentTimeoutException timeout)
        {
            return SegmentProblems.TooSlow(timeout);
        }

        var run = new SegmentRun(SegmentIds.NewRun(), segment.Id, segment.Filter, SegmentRunState.Queued, now);
        if (!await store.QueueRunAsync(tenant.Slug, run, options.Value.QueuedRunsPerTenant, cancellationToken))
        {
            return SegmentProblems.QueueFull(options.Value.QueuedRunsPerTenant);
        }

        // After the row: a worker that sees the job finds the run (or another worker already took it with the tenant's queue).
        await queue.EnqueueAsync(SegmentRunJob.For(tenant.Slug, run.Id), null, cancellationToken);
        var response = SegmentRunResponse.From(run);
        return TypedResults.Accepted(response.StatusUrl, response);
    }

    public static async Task<Results<Ok<SegmentRunResponse>, ProblemHttpResult>> GetRunAsync(
        string id, string runId, TenantContext tenant, ISegmentStore store, CancellationToken cancellationToken)
    {
        var run = SegmentIds.IsWellFormed(id, "seg_") && SegmentIds.IsWellFormed(runId, "run_")
            ? await store.GetRunAsync(tenant.Slug, id, runId, cancellationToken)
            : null;
        return run is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Run not found",
                detail: $"Segment '{id}' has no run '{runId}'. Start one with POST /api/segments/{id}/runs.")
            : TypedResults.Ok(SegmentRunResponse.From(run));
    }

    public static async Task<Results<Ok<SegmentRecipientsResponse>, PushStreamHttpResult, ProblemHttpResult, ValidationProblem>> GetRecipientsAsync(
        string id, HttpRequest request, TenantContext tenant, ISegmentStore store, Cursors cursors, CancellationToken cancellationToken,
        string? cursor = null, int? limit = null, string? format = null)
    {
        var (pageSize, problem) = Paging.Limit(limit);
        if (problem is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [problem] });
        }

        var (csv, formatProblem) = ReportFormats.Pick(format, request);
        if (formatProblem is not null)
        {
            return formatProblem;
        }

        if (await SegmentsApi.FindAsync(id, tenant, store, cancellationToken) is null)
        {
            return SegmentProblems.NotFound(id);
        }

        if (await store.GetLastCompletedRunAsync(tenant.Slug, id, cancellationToken) is not { AsOf: { } asOf } run)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No completed run",
                detail: $"Segment '{id}' has no completed run yet. Start one with POST /api/segments/{id}/runs and poll its statusUrl.");
        }

        if (csv)
        {
            var headers = request.HttpContext.Response.Headers;
            headers.ContentDisposition = $"attachment; filename=\"segment-{id}-{asOf.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.csv\"";
            headers["Segment-As-Of"] = asOf.ToString("O", CultureInfo.InvariantCulture);
            return TypedResults.Stream(stream => WriteCsvAsync(stream, tenant.Slug, run, store, cancellationToken), "text/csv; charset=utf-8");
        }

        // The cursor is bound to the run: once a newer run completes, an old cursor is refused rather than mixing two runs.
        var scope = $"{tenant.Slug}/segments/{id}/{run.Id}";
        var found = await store.ListRecipientsAsync(tenant.Slug, run.Id, cursors.Decode(scope, cursor), pageSize + 1, cancellationToken);
        var page = found.Take(pageSize).ToList();
        var next = found.Count > pageSize ? cursors.Encode(scope, page[^1]) : null;
        return TypedResults.Ok(new SegmentRecipientsResponse(id, run.Id, asOf, run.Recipients ?? 0, page, next));
    }

    private static async Task WriteCsvAsync(Stream stream, string tenant, SegmentRun run, ISegmentStore store, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        await writer.WriteAsync("recipient\r\n");
        string? after = null;
        while (true)
        {
            var page = await store.ListRecipientsAsync(tenant, run.Id, after, CsvPage, cancellationToken);
            foreach (var recipient in page)
            {
                await writer.WriteAsync(ReportCsv.Field(recipient) + "\r\n");
            }

            if (page.Count < CsvPage)
            {
                break;
            }

            after = page[^1];
        }
    }
}
