using System.Security.Claims;
using LinkTracker.Api;
using LinkTracker.Runbook;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace LinkTracker.Dashboard.Pages.Operator;

/// <summary>Trades the operator token (the credential of /ops) for a session cookie of the operator page, on the base domain only.</summary>
public sealed class SignInModel(OpsCredential credential, UnauthenticatedThrottle throttle) : OperatorPageModel
{
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? token)
    {
        if (throttle.IsSpent(HttpContext))
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Error = "Too many wrong tokens from this address; wait a minute.";
            return Page();
        }

        if (string.IsNullOrEmpty(token) || !credential.Matches(token.AsSpan().Trim()))
        {
            throttle.Spend(HttpContext);
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Error = "Wrong operator token.";
            return Page();
        }

        Claim[] claims =
        [
            new(ClaimTypes.Name, "operator"),
            new(ClaimTypes.Role, "operator"),
            new(DashboardAuthentication.OperatorTokenClaim, credential.SessionStamp),
        ];
        var identity = new ClaimsIdentity(claims, DashboardAuthentication.OperatorScheme);
        await HttpContext.SignInAsync(DashboardAuthentication.OperatorScheme, new ClaimsPrincipal(identity));
        return LocalRedirect("/ops/dashboard");
    }
}
