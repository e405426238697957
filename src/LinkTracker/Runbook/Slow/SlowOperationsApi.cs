using LinkTracker.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Slow;

/// <summary>GET /ops/slow: the slow-operation log, for operators.</summary>
public static class SlowOperationsApi
{
    public static RouteGroupBuilder MapSlowOperationsApi(this RouteGroupBuilder ops)
    {
        ops.MapGet("/slow", GetSlowOperations)
            .WithSummary("Slow segment runs, stats queries, report jobs and writer transactions per tenant, newest first (?tenant=&kind=&limit=)");
        return ops;
    }

    public static Results<Ok<SlowOperationsResponse>, ValidationProblem> GetSlowOperations(
        SlowLog log, IOptions<SlowLogOptions> options, string? tenant = null, string? kind = null, int? limit = null)
    {
        var errors = new Dictionary<string, string[]>();
        var (pageSize, problem) = Paging.Limit(limit);
        if (problem is not null)
        {
            errors["limit"] = [problem];
        }

        SlowOperationKind? onlyKind = null;
        if (kind is not null)
        {
            if (Enum.TryParse<SlowOperationKind>(kind, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                onlyKind = parsed;
            }
            else
            {
                errors["kind"] = [$"kind must be one of {string.Join(", ", Names())}, not '{kind}'."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var thresholds = Enum.GetValues<SlowOperationKind>().ToDictionary(Name, k => options.Value.Threshold(k).TotalMilliseconds);
        return TypedResults.Ok(new SlowOperationsResponse(thresholds, options.Value.PerTenant, log.Recent(tenant, onlyKind, null, pageSize)));
    }

    private static IEnumerable<string> Names() => Enum.GetValues<SlowOperationKind>().Select(Name);

    private static string Name(SlowOperationKind kind) => kind.ToString().ToLowerInvariant();
}
