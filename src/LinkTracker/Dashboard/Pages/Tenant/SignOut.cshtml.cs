using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracker.Dashboard.Pages.Tenant;

public sealed class SignOutModel : TenantPageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(DashboardAuthentication.Scheme);
        return LocalRedirect("/dashboard/signin");
    }
}
