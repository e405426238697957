using LinkTracker.Tenants;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace LinkTracker.Dashboard;

/// <summary>A page of the operator surface: answered on the base domain and 127.0.0.1 only, 404 on a tenant's host (like /ops).</summary>
public abstract class OperatorPageModel : PageModel
{
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var baseDomain = HttpContext.RequestServices.GetRequiredService<IOptions<TenantOptions>>().Value.BaseDomain;
        if (!OperatorCookieEvents.IsOperatorHost(Request.Host, baseDomain))
        {
            context.Result = NotFound();
            return;
        }

        await next();
    }
}
