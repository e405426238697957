using System.Security.Cryptography;
using System.Text;
using LinkTracker.Runbook;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace LinkTracker.Dashboard;

/// <summary>
/// The operator page's session is valid on the operator hosts only (the base domain, 127.0.0.1), never on a tenant's
/// host, and only while the operator token is the one it was signed in with (a changed token ends every session).
/// </summary>
internal sealed class OperatorCookieEvents(IOptions<TenantOptions> options, OpsCredential credential) : CookieAuthenticationEvents
{
    public override Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var stamp = context.Principal?.FindFirst(DashboardAuthentication.OperatorTokenClaim)?.Value;
        if (!IsOperatorHost(context.Request.Host, options.Value.BaseDomain)
            || stamp is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stamp), Encoding.ASCII.GetBytes(credential.SessionStamp)))
        {
            context.RejectPrincipal();
        }

        return Task.CompletedTask;
    }

    /// <summary>The hosts /ops answers on (see OpsApi.OperatorHosts): the base domain and 127.0.0.1, any port.</summary>
    public static bool IsOperatorHost(HostString host, string baseDomain) =>
        string.Equals(host.Host, baseDomain, StringComparison.OrdinalIgnoreCase) || host.Host == "127.0.0.1";
}
