using LinkTracker.Core.Legacy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.Legacy;

/// <summary>What an edge node asks an api node for the fallback (mapped in the internal API, behind its token): settings and learning.</summary>
public static class LegacyInternalApi
{
    public static RouteGroupBuilder MapLegacyInternalApi(this RouteGroupBuilder group)
    {
        group.MapGet("/legacy/{tenant}", GetSettingsAsync);
        group.MapPost("/legacy/{tenant}/links", LearnAsync);
        return group;
    }

    /// <summary>Always 200: no legacy system is an answer the edge caches too.</summary>
    public static async Task<Ok<LegacySourceResponse>> GetSettingsAsync(string tenant, StoreLegacySource source, CancellationToken cancellationToken) =>
        TypedResults.Ok(await source.FindSettingsAsync(tenant, cancellationToken));

    public static async Task<Ok<LearnResponse>> LearnAsync(string tenant, LearnedLink link, StoreLegacySource source, CancellationToken cancellationToken) =>
        TypedResults.Ok(new LearnResponse(await source.LearnAsync(tenant, link, cancellationToken)));
}
