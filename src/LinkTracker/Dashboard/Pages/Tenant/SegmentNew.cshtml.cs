using System.Text.Json;
using LinkTracker.Segments;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracker.Dashboard.Pages.Tenant;

/// <summary>
/// A new segment: its cost preview and its creation go through the API's own handlers (POST /api/segments/preview and
/// POST /api/segments), so a bad filter gets the same 422 with the path of the bad node.
/// </summary>
[Authorize(Policy = DashboardAuthentication.EditorPolicy)]
public sealed class SegmentNewModel(TenantContext tenant, TimeProvider time) : TenantPageModel
{
    public const string Example = """{"clicked": {"campaign": "spring", "within": "P7D"}}""";

    public string? Name { get; private set; }

    public string Filter { get; private set; } = Example;

    public SegmentPreviewResponse? Preview { get; private set; }

    /// <summary>Messages by the path of what to change: "name", "filter", "filter.all[1].clicked.within".</summary>
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public IEnumerable<(string Path, string Message)> ErrorsOf(string field) =>
        Errors.Where(e => e.Key == field || e.Key.StartsWith(field + ".", StringComparison.Ordinal) || (field == "filter" && e.Key.Length == 0))
            .SelectMany(e => e.Value.Select(m => (e.Key, m)));

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostPreviewAsync(string? name, string? filter, [FromServices] SegmentCost cost, CancellationToken cancellationToken)
    {
        (Name, Filter) = (name, filter ?? "");
        if (Parse(filter) is not { } tree)
        {
            return Invalid();
        }

        var result = await SegmentsApi.PreviewAsync(new SegmentPreviewRequest(tree), tenant, cost, time, cancellationToken);
        switch (result.Result)
        {
            case Ok<SegmentPreviewResponse> ok:
                Preview = ok.Value;
                return Page();
            case ProblemHttpResult problem:
                Errors = Problems(problem);
                return Invalid(problem.StatusCode);
            default:
                return StatusCode(StatusCodes.Status500InternalServerError);
        }
    }

    public async Task<IActionResult> OnPostCreateAsync(
        string? name, string? filter, [FromServices] LinkTracker.Core.Segments.ISegmentStore store, CancellationToken cancellationToken)
    {
        (Name, Filter) = (name, filter ?? "");
        if (Parse(filter) is not { } tree)
        {
            return Invalid();
        }

        var result = await SegmentsApi.CreateSegmentAsync(new SegmentRequest(name, tree), tenant, store, time, cancellationToken);
        switch (result.Result)
        {
            case Created<SegmentResponse> created:
                TempData["Message"] = $"Segment \"{created.Value!.Name}\" saved. Run it to read its recipients.";
                return LocalRedirect("/dashboard/segments/" + created.Value.Id);
            case ProblemHttpResult problem:
                Errors = Problems(problem);
                return Invalid(problem.StatusCode);
            default:
                return StatusCode(StatusCodes.Status500InternalServerError);
        }
    }

    private JsonElement? Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            Errors["filter"] = ["Write the filter as JSON, e.g. " + Example + "."];
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(filter);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Errors["filter"] = [$"This is not JSON ({e.Message}). Write it like {Example}."];
            return null;
        }
    }

    private static Dictionary<string, string[]> Problems(ProblemHttpResult problem) => problem.ProblemDetails is HttpValidationProblemDetails validation
        ? new Dictionary<string, string[]>(validation.Errors)
        : new Dictionary<string, string[]> { ["filter"] = [problem.ProblemDetails.Title + ": " + problem.ProblemDetails.Detail] };

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Invalid(int status = StatusCodes.Status422UnprocessableEntity)
    {
        Response.StatusCode = status;
        return Page();
    }
}
