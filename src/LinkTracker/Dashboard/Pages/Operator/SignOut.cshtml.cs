using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracker.Dashboard.Pages.Operator;

public sealed class SignOutModel : OperatorPageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(DashboardAuthentication.OperatorScheme);
        return LocalRedirect("/ops/dashboard/signin");
    }
}
