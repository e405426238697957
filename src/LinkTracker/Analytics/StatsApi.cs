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
            .WithSummary("Clicks, human clicks and unique recipients of the tenant or of one campaign, as a series");
        api.MapGet("/links/{code}/stats", GetLinkStatsAsync).WithTags("Stats")
            .WithSummary("Clicks, human clicks and unique recipients of one link, as a series");
        return api;
    }

    public static async Task<Results<Ok<StatsResponse>, ValidationProblem>> GetTenantStatsAsync(
        TenantContext tenant, StatsService stats, TimeProvider time, CancellationToken cancellationToken,
        string? from = null, string? to = null, string? granularity = null, string? campaign = null)
    {
        var (range, errors) = StatsRange.Parse(from, to, granularity, time.GetUtcNow());
        if (range is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var scope = string.IsNullOrEmpty(campaign) ? StatsScope.Tenant : StatsScope.ForCampaign(campaign);
        return TypedResults.Ok(await stats.GetAsync(tenant.Slug, scope, range, cancellationToken));
    }

    public static async Task<Results<Ok<StatsResponse>, ValidationProblem, ProblemHttpResult>> GetLinkStatsAsync(
        string code, TenantContext tenant, ILinkStore links, StatsService stats, TimeProvider time, CancellationToken cancellationToken,
        string? from = null, string? to = null, string? granularity = null)
    {
        var (range, errors) = StatsRange.Parse(from, to, granularity, time.GetUtcNow());
        if (range is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!LinkCodes.IsWellFormed(code) || !await links.ExistsAsync(tenant.Slug, code, cancellationToken))
        {
            return LinksApi.LinkNotFound(code);
        }

        return TypedResults.Ok(await stats.GetAsync(tenant.Slug, StatsScope.ForLink(code), range, cancellationToken));
    }
}
