using LinkTracker.Core.Common;
using LinkTracker.Core.Legacy;
using LinkTracker.Core.Tenants;
using LinkTracker.Runbook;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LinkTracker.Legacy;

/// <summary>The migration view: GET /api/migration for a tenant, /ops/migration for the operator (every tenant with a legacy system).</summary>
public static class MigrationApi
{
    public static IEndpointRouteBuilder MapMigrationApi(this IEndpointRouteBuilder app, RouteGroupBuilder tenantApi)
    {
        tenantApi.MapGet("/migration", GetMigrationAsync).WithTags("Migration")
            .WithSummary("Clicks answered here, by your legacy link tracker, learned and passed through, in the last hour and day; legacy codes still clicked");
        app.MapOpsGroup("/ops").WithTags("Operations").MapGet("/migration", GetOpsMigrationAsync)
            .WithSummary("The migration view of every tenant with a legacy link tracker: when its legacy system can be switched off");
        return app;
    }

    public static async Task<Ok<MigrationResponse>> GetMigrationAsync(
        TenantContext tenant, ILegacyStore store, MigrationView view, CancellationToken cancellationToken)
    {
        var settings = await store.GetSettingsAsync(tenant.Slug, cancellationToken);
        return TypedResults.Ok(await view.ForAsync(tenant.Slug, settings?.BaseUrl, cancellationToken));
    }

    public static async Task<Ok<OpsMigrationResponse>> GetOpsMigrationAsync(
        ICatalogStore catalog, ILegacyStore store, MigrationView view, CancellationToken cancellationToken)
    {
        var tenants = new List<MigrationResponse>();
        foreach (var tenant in await catalog.ListTenantsAsync(cancellationToken))
        {
            LegacySettings? settings;
            try
            {
                settings = await store.GetSettingsAsync(tenant.Slug, cancellationToken);
            }
            catch (SchemaTooOldException)
            {
                continue; // not migrated to 0004 yet: it has no legacy system
            }

            if (settings?.BaseUrl is { } baseUrl)
            {
                tenants.Add(await view.ForAsync(tenant.Slug, baseUrl, cancellationToken));
            }
        }

        return TypedResults.Ok(new OpsMigrationResponse(tenants));
    }
}
