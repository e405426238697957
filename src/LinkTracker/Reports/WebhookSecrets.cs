using Microsoft.AspNetCore.DataProtection;

namespace LinkTracker.Reports;

/// <summary>
/// Webhook signing secrets as stored: encrypted with Data Protection (the deployment's key folder, shared by the api
/// and worker nodes), marked with a prefix so a secret stored in plain text before 2026-12-04 still signs.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private const string Prefix = "dp1:";
    private readonly IDataProtector _protector = provider.CreateProtector("LinkTracker.Reports.WebhookSecret.v1");

    public string Protect(string secret) => Prefix + _protector.Protect(secret);

    /// <summary>The secret itself, from what the store holds.</summary>
    public string Reveal(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal) ? _protector.Unprotect(stored[Prefix.Length..]) : stored;
}
