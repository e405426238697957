using LinkTracker.Core.Tenants;
using LinkTracker.Tenants;

namespace LinkTracker.Api;

/// <summary>
/// Every tenant API call: the tenant comes from the host (404 when unknown, revealing nothing), and the
/// bearer key must be a live key of that very tenant (401 otherwise, also for another tenant's valid key).
/// </summary>
internal sealed class TenantApiFilter(TenantDirectory tenants, ICatalogStore catalog, TenantContext context) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var tenant = await tenants.ResolveOrReloadAsync(http.Request.Headers.Host.ToString(), http.RequestAborted);
        if (tenant is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Not found",
                detail: "No LinkTracker tenant is served on this host. Call the API on your tenant's host, <slug>.<base domain>.");
        }

        if (!await IsAuthorizedAsync(http, tenant, catalog))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: "Send a valid API key of this tenant as 'Authorization: Bearer <key>'. Keys are created with 'linktracker keys create --tenant <slug>'.");
        }

        context.Tenant = tenant;
        return await next(invocation);
    }

    private static async Task<bool> IsAuthorizedAsync(HttpContext http, Tenant tenant, ICatalogStore catalog)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !ApiKeys.TryParse(header.AsSpan(7).Trim(), out var id, out var secret))
        {
            return false;
        }

        // The store matches id and hash (PostgreSQL's runtime login reads no stored hash); a key of another tenant
        // then fails exactly like a wrong one.
        var key = await catalog.FindApiKeyAsync(id, ApiKeys.Hash(secret), http.RequestAborted);
        return key is not null && key.Tenant == tenant.Slug && key.RevokedAt is null;
    }
}
