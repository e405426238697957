namespace LinkTracker.SignedLinks;

/// <summary>Links signed, or why not: validation errors by field, or no key to sign with.</summary>
public sealed record SignOutcome(IReadOnlyList<SignedLinkResponse> Links, Dictionary<string, string[]> Errors, bool NoKey)
{
    public bool Succeeded => Errors.Count == 0 && !NoKey;
}
