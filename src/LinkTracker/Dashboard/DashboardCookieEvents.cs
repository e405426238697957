using System.Globalization;
using System.Security.Claims;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LinkTracker.Dashboard;

/// <summary>
/// Checks every dashboard session against the request: the cookie's tenant must be the host's tenant (a cookie of
/// tenant A is refused on tenant B's host, whatever the browser sends), and its user must still exist with the same
/// role and password (removing a user or setting a new password ends their sessions). Sets <see cref="TenantContext"/>.
/// </summary>
internal sealed class DashboardCookieEvents(TenantDirectory tenants, DashboardUsers users, TenantContext current) : CookieAuthenticationEvents
{
    public const string StampClaim = "stamp";

    public static ClaimsPrincipal Principal(string tenant, Core.Dashboard.DashboardUser user) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, tenant + "/" + user.Email),
            new Claim(ClaimTypes.Name, user.Email),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(ApiKeyAuthentication.TenantClaim, tenant),
            new Claim(StampClaim, Stamp(user)),
        ],
        DashboardAuthentication.Scheme));

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var tenant = await tenants.ResolveOrReloadAsync(http.Request.Host.ToString(), http.RequestAborted);
        var principal = context.Principal;
        var email = principal?.FindFirstValue(ClaimTypes.Name);
        if (tenant is null || email is null || principal!.FindFirstValue(ApiKeyAuthentication.TenantClaim) != tenant.Slug)
        {
            context.RejectPrincipal();
            return;
        }

        var user = await users.FindAsync(tenant.Slug, email, http.RequestAborted);
        if (user is null || !principal!.IsInRole(user.Role) || principal.FindFirstValue(StampClaim) != Stamp(user))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardAuthentication.Scheme);
            return;
        }

        current.Tenant = tenant;
    }

    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context) =>
        IsApi(context.Request) ? Status(context, StatusCodes.Status401Unauthorized) : base.RedirectToLogin(context);

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) =>
        IsApi(context.Request) ? Status(context, StatusCodes.Status403Forbidden) : base.RedirectToAccessDenied(context);

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/dashboard/api", StringComparison.Ordinal);

    private static Task Status(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static string Stamp(Core.Dashboard.DashboardUser user) => user.UpdatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
