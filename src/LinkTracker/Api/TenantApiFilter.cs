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

        var key = await catalog.FindApiKeyAsync(id, http.RequestAborted);
        if (key is null)
        {
            return false;
        }

        // The secret is checked before the tenant, so a key of another tenant fails exactly like a wrong one.
        return ApiKeys.Matches(secret, key.SecretHash) && key.Tenant == tenant.Slug && key.RevokedAt is null;
    }
}
