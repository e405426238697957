using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracker.Dashboard.Pages.Tenant;

public sealed class SignInModel(DashboardUsers users) : TenantPageModel
{
    public string? Email { get; private set; }

    public string? ReturnUrl { get; private set; }

    public string? Error { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl, CancellationToken cancellationToken)
    {
        Email = email;
        ReturnUrl = returnUrl;
        var result = await users.SignInAsync(Tenant.Slug, email, password, cancellationToken);
        switch (result.Outcome)
        {
            case DashboardSignInOutcome.Succeeded:
                await HttpContext.SignInAsync(DashboardAuthentication.Scheme, DashboardCookieEvents.Principal(Tenant.Slug, result.User!));
                // Only a path of this dashboard: never an open redirect to another host or tenant.
                return LocalRedirect(returnUrl is { } url && url.StartsWith("/dashboard", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) ? url : "/dashboard");
            case DashboardSignInOutcome.LockedOut:
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Error = $"Too many wrong passwords: this account is locked until {DashboardFormat.Time(result.LockedUntil)}. Try again then, or ask your operator to set a new password.";
                return Page();
            default:
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                Error = "Wrong email or password.";
                return Page();
        }
    }
}
