using LinkTracker.Core.Tenants;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LinkTracker.Dashboard;

/// <summary>
/// A page of a tenant's dashboard: the tenant is the host's (set by the session check, or resolved here for the
/// sign-in page); a host that serves no tenant gets 404 and learns nothing.
/// </summary>
public abstract class TenantPageModel : PageModel
{
    public Tenant Tenant { get; private set; } = null!;

    public bool IsEditor => User.IsInRole(DashboardAuthentication.Editor);

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var services = HttpContext.RequestServices;
        var tenant = await services.GetRequiredService<TenantDirectory>().ResolveOrReloadAsync(Request.Host.ToString(), HttpContext.RequestAborted);
        if (tenant is null)
        {
            context.Result = NotFound();
            return;
        }

        Tenant = tenant;
        await next();
    }
}
