using System.Security.Claims;
using System.Text.Encodings.Web;
using LinkTracker.Api;
using LinkTracker.Core.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LinkTracker.Tenants;

/// <summary>
/// Who calls the tenant API: the tenant comes from the host (404 when unknown, revealing nothing), and the bearer key
/// must be a live key of that very tenant (401 otherwise, also for another tenant's valid key). Runs before the body
/// is read. Calls without a valid key spend the client address's <see cref="UnauthenticatedThrottle"/> budget.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TenantDirectory tenants,
    ICatalogStore catalog,
    TenantContext context,
    UnauthenticatedThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private bool _unknownHost;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var tenant = await tenants.ResolveOrReloadAsync(Request.Headers.Host.ToString(), Context.RequestAborted);
        if (tenant is null)
        {
            _unknownHost = true;
            return AuthenticateResult.Fail("No tenant is served on this host.");
        }

        if (throttle.IsSpent(Context))
        {
            return AuthenticateResult.Fail("Too many calls without a valid credential from this address.");
        }

        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !ApiKeys.TryParse(header.AsSpan(7).Trim(), out var secretHash, out var legacyId))
        {
            return AuthenticateResult.Fail("Not an API key.");
        }

        // The store matches the hash (PostgreSQL's runtime login reads no stored hash); a key of another tenant then
        // fails exactly like a wrong one.
        var key = await catalog.FindApiKeyAsync(secretHash, legacyId, Context.RequestAborted);
        if (key is null || key.Tenant != tenant.Slug || key.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("Unknown, revoked or another tenant's key.");
        }

        context.Tenant = tenant;
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, key.Id), new Claim(ApiKeyAuthentication.TenantClaim, tenant.Slug)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (_unknownHost)
        {
            await WriteProblemAsync(
                StatusCodes.Status404NotFound,
                "Not found",
                "No LinkTracker tenant is served on this host. Call the API on your tenant's host, <slug>.<base domain>.");
            return;
        }

        if (throttle.Spend(Context) is { } retryAfter)
        {
            await UnauthenticatedThrottle.WriteTooManyAsync(Context, retryAfter);
            return;
        }

        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(
            StatusCodes.Status401Unauthorized,
            "Unauthorized",
            "Send a valid API key of this tenant as 'Authorization: Bearer <key>'. Keys are created with 'linktracker keys create --tenant <slug>'.");
    }

    private ValueTask WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
