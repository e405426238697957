using System.Text.Json;
using LinkTracker.Core.Jobs;
using LinkTracker.Core.Segments;
using LinkTracker.Segments;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LinkTracker.Dashboard.Pages.Tenant;

/// <summary>
/// One segment: its filter, its latest runs, and a page of its last completed run's recipients (the CSV of all of them is
/// /dashboard/segments/{id}/recipients.csv). "Run now" and "Delete" go through the API's own handlers; editors only.
/// </summary>
public sealed class SegmentDetailModel(ISegmentStore store, TenantContext tenant) : TenantPageModel
{
    public const int RunsShown = 10;
    public const int RecipientsPerPage = 100;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public Segment Segment { get; private set; } = null!;

    public string FilterJson { get; private set; } = "";

    public IReadOnlyList<SegmentRun> Runs { get; private set; } = [];

    public SegmentRun? LastCompleted { get; private set; }

    public IReadOnlyList<string> Recipients { get; private set; } = [];

    /// <summary>The recipient the next page starts after; null on the last page.</summary>
    public string? Next { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? after, CancellationToken cancellationToken) =>
        await LoadAsync(id, after, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRunAsync(
        string id, [FromServices] SegmentCost cost, [FromServices] IJobQueue queue, [FromServices] TimeProvider time,
        [FromServices] IOptions<SegmentsOptions> options, CancellationToken cancellationToken)
    {
        if (!IsEditor)
        {
            return Forbid(DashboardAuthentication.Scheme);
        }

        var result = await SegmentRunsApi.RunSegmentAsync(id, tenant, store, cost, queue, time, options, cancellationToken);
        switch (result.Result)
        {
            case Accepted<SegmentRunResponse> accepted:
                TempData["Message"] = $"Run {accepted.Value!.Id} queued; reload this page to see it finish.";
                return LocalRedirect("/dashboard/segments/" + id);
            case ProblemHttpResult { StatusCode: StatusCodes.Status404NotFound }:
                return NotFound();
            case ProblemHttpResult problem:
                await LoadAsync(id, null, cancellationToken);
                Error = $"{problem.ProblemDetails.Title}: {problem.ProblemDetails.Detail}";
                Response.StatusCode = problem.StatusCode;
                return Page();
            default:
                return StatusCode(StatusCodes.Status500InternalServerError);
        }
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsEditor)
        {
            return Forbid(DashboardAuthentication.Scheme);
        }

        if ((await SegmentsApi.DeleteSegmentAsync(id, tenant, store, cancellationToken)).Result is not NoContent)
        {
            return NotFound();
        }

        TempData["Message"] = "Segment deleted, with its runs and recipients.";
        return LocalRedirect("/dashboard/segments");
    }

    private async Task<bool> LoadAsync(string id, string? after, CancellationToken cancellationToken)
    {
        if (await SegmentsApi.FindAsync(id, tenant, store, cancellationToken) is not { } segment)
        {
            return false;
        }

        Segment = segment;
        using (var filter = JsonDocument.Parse(segment.Filter))
        {
            FilterJson = JsonSerializer.Serialize(filter.RootElement, Indented);
        }

        Runs = await store.ListRunsAsync(Tenant.Slug, id, RunsShown, cancellationToken);
        LastCompleted = await store.GetLastCompletedRunAsync(Tenant.Slug, id, cancellationToken);
        if (LastCompleted is { } run)
        {
            var found = await store.ListRecipientsAsync(Tenant.Slug, run.Id, string.IsNullOrEmpty(after) ? null : after, RecipientsPerPage + 1, cancellationToken);
            Recipients = [.. found.Take(RecipientsPerPage)];
            Next = found.Count > RecipientsPerPage ? Recipients[^1] : null;
        }

        return true;
    }
}
