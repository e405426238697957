using System.Security.Claims;
using System.Text.Encodings.Web;
using LinkTracker.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook;

/// <summary>
/// Who may use /ops/* and /metrics: whoever sends the operator token in X-Ops-Token or 'Authorization: Bearer'
/// (headers only, never a cookie, so a browser cannot be tricked into sending it). Calls without it spend the client
/// address's <see cref="UnauthenticatedThrottle"/> budget.
/// </summary>
internal sealed class OpsAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    OpsCredential credential,
    UnauthenticatedThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (throttle.IsSpent(Context))
        {
            return Task.FromResult(AuthenticateResult.Fail("Too many calls without a valid credential from this address."));
        }

        string token;
        if (Request.Headers[OpsAuthentication.Header].ToString() is { Length: > 0 } header)
        {
            token = header;
        }
        else if (Request.Headers.Authorization.ToString() is { } authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = authorization[7..];
        }
        else
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!credential.Matches(token.AsSpan().Trim()))
        {
            return Task.FromResult(AuthenticateResult.Fail("Wrong operator token."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, "operator")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (throttle.Spend(Context) is { } retryAfter)
        {
            await UnauthenticatedThrottle.WriteTooManyAsync(Context, retryAfter);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Operator credential missing or wrong",
                Detail = "Operator endpoints need the operator token (Ops:Token, or the ops-token file in the service's data folder) in 'X-Ops-Token: <token>' or 'Authorization: Bearer <token>'.",
            },
        });
    }
}
