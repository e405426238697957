using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.Reports;

/// <summary>Which format a download gets: ?format wins, else the Accept header by quality, else JSON.</summary>
internal static class ReportFormats
{
    /// <returns>Csv true for CSV, false for JSON; or the problem to answer.</returns>
    public static (bool Csv, ProblemHttpResult? Problem) Pick(string? format, HttpRequest request)
    {
        if (!string.IsNullOrEmpty(format))
        {
            return format.ToLowerInvariant() switch
            {
                "csv" => (true, null),
                "json" => (false, null),
                _ => (false, TypedResults.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Unknown format",
                    detail: $"format is 'csv' or 'json', not '{format}'.")),
            };
        }

        var accepted = request.GetTypedHeaders().Accept;
        if (accepted.Count == 0)
        {
            return (false, null);
        }

        foreach (var media in accepted.OrderByDescending(a => a.Quality ?? 1))
        {
            switch (media.MediaType.Value?.ToLowerInvariant())
            {
                case "text/csv" or "text/*":
                    return (true, null);
                case "application/json" or "application/*" or "*/*":
                    return (false, null);
            }
        }

        return (false, TypedResults.Problem(
            statusCode: StatusCodes.Status406NotAcceptable,
            title: "Not acceptable",
            detail: "Reports come as text/csv or application/json: send one of them in Accept, or add ?format=csv or ?format=json."));
    }
}
