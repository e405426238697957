using LinkTracker.Analytics;
using LinkTracker.Api;
using LinkTracker.Core.Clicks;
using LinkTracker.Core.Links;
using LinkTracker.Links;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.Clicks;

public static class ClicksApi
{
    public static RouteGroupBuilder MapClicksApi(this RouteGroupBuilder api)
    {
        api.MapGet("/links/{code}/clicks", ListClicksAsync).WithTags("Clicks")
            .WithSummary("Raw clicks of one link, newest first, with cursor paging (clicks appear once written: see /api/stats freshness)");
        return api;
    }

    public static async Task<Results<Ok<ClickListResponse>, ValidationProblem, ProblemHttpResult>> ListClicksAsync(
        string code, TenantContext tenant, ILinkStore links, IClickStore clicks, Cursors cursors, TimeProvider time, CancellationToken cancellationToken,
        string? cursor = null, int? limit = null, string? from = null, string? to = null)
    {
        var (pageSize, problem) = Paging.Limit(limit);
        if (problem is not null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [problem] });
        }

        DateTimeOffset? fromAt = null, toAt = null;
        if (from is not null || to is not null)
        {
            var (range, errors) = StatsRange.Parse(from, to, "hour", time.GetUtcNow());
            if (range is null)
            {
                return TypedResults.ValidationProblem(errors);
            }

            (fromAt, toAt) = (range.From, range.To);
        }

        if (!LinkCodes.IsWellFormed(code) || !await links.ExistsAsync(tenant.Slug, code, cancellationToken))
        {
            return LinksApi.LinkNotFound(code);
        }

        var page = await clicks.ListAsync(tenant.Slug, new ClickQuery(code, cursors.Decode($"{tenant.Slug}/clicks/{code}", cursor), pageSize, fromAt, toAt), cancellationToken);
        return TypedResults.Ok(new ClickListResponse([.. page.Items.Select(ClickResponse.From)], cursors.Encode($"{tenant.Slug}/clicks/{code}", page.Next)));
    }
}
