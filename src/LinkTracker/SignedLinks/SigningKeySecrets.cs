using Microsoft.AspNetCore.DataProtection;

namespace LinkTracker.SignedLinks;

/// <summary>Signing key secrets at rest: encrypted with Data Protection (the deployment's key folder), like webhook secrets.</summary>
public sealed class SigningKeySecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("LinkTracker.SignedLinks.SigningKey.v1");

    public string Protect(byte[] secret) => _protector.Protect(Convert.ToBase64String(secret));

    public byte[] Reveal(string stored) => Convert.FromBase64String(_protector.Unprotect(stored));
}
