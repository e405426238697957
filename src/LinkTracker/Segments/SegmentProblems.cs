using LinkTracker.Core.Segments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.Segments;

/// <summary>The ProblemDetails of the segments API, each saying what to change.</summary>
internal static class SegmentProblems
{
    public static ProblemHttpResult Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The segment is not valid",
            Detail = "Each key of errors is the path of a value to change (e.g. filter.all[1].clicked.within); see docs/segments.md for the filter language.",
        });

    public static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Segment not found",
        detail: $"This tenant has no segment '{id}'. GET /api/segments lists yours.");

    public static ProblemHttpResult TooCostly(SegmentPreviewResponse preview) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "The segment would read too many clicks",
        detail: preview.Message,
        extensions: new Dictionary<string, object?> { ["estimatedRows"] = preview.EstimatedRows, ["maxRowsPerRun"] = preview.MaxRowsPerRun });

    public static ProblemHttpResult TooSlow(SegmentTimeoutException timeout) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "The segment's cost could not be estimated in time",
        detail: timeout.Message);

    public static ProblemHttpResult QueueFull(int queued) => TypedResults.Problem(
        statusCode: StatusCodes.Status429TooManyRequests,
        title: "Too many segment runs waiting",
        detail: $"Your tenant already has {queued} segment runs waiting (Segments:QueuedRunsPerTenant); runs go one at a time. "
            + "Poll a waiting run's statusUrl and ask again once it has finished.");
}
