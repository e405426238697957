using LinkTracker.Core.Analytics;
using LinkTracker.Core.Links;
using LinkTracker.Links;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.Analytics;

public static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", GetTenantStatsAsync).WithTags("Stats")
            .WithSummary("Clicks, human clicks and unique recipients of the tenant or of one campaign, as a series; breakdown=country|device|browser|os|referrer|reason adds clicks per value");
        api.MapGet("/links/{code}/stats", GetLinkStatsAsync).WithTags("Stats")
            .WithSummary("Clicks, human clicks and unique recipients of one link, as a series; breakdown=country|device|browser|os|referrer|reason adds clicks per value");
        return api;
    }

    public static async Task<Results<Ok<StatsResponse>, ValidationProblem>> GetTenantStatsAsync(
        TenantContext tenant, StatsService stats, TimeProvider time, CancellationToken cancellationToken,
        string? from = null, string? to = null, string? granularity = null, string? campaign = null, string? breakdown = null)
    {
        var (range, errors) = StatsRange.Parse(from, to, granularity, time.GetUtcNow());
        var dimension = ParseBreakdown(breakdown, errors);
        if (range is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var scope = string.IsNullOrEmpty(campaign) ? StatsScope.Tenant : StatsScope.ForCampaign(campaign);
        return TypedResults.Ok(await stats.GetAsync(tenant.Slug, scope, range, dimension, cancellationToken));
    }

    public static async Task<Results<Ok<StatsResponse>, ValidationProblem, ProblemHttpResult>> GetLinkStatsAsync(
        string code, TenantContext tenant, ILinkStore links, StatsService stats, TimeProvider time, CancellationToken cancellationToken,
        string? from = null, string? to = null, string? granularity = null, string? breakdown = null)
    {
        var (range, errors) = StatsRange.Parse(from, to, granularity, time.GetUtcNow());
        var dimension = ParseBreakdown(breakdown, errors);
        if (range is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!LinkCodes.IsWellFormed(code) || !await links.ExistsAsync(tenant.Slug, code, cancellationToken))
        {
            return LinksApi.LinkNotFound(code);
        }

        return TypedResults.Ok(await stats.GetAsync(tenant.Slug, StatsScope.ForLink(code), range, dimension, cancellationToken));
    }

    private static BreakdownDimension? ParseBreakdown(string? breakdown, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(breakdown))
        {
            return null;
        }

        if (ClickBreakdown.Parse(breakdown) is { } dimension)
        {
            return dimension;
        }

        errors["breakdown"] = [$"Unknown breakdown '{breakdown}': use one of {string.Join(", ", ClickBreakdown.Dimensions.Select(ClickBreakdown.Name))}."];
        return null;
    }
}
