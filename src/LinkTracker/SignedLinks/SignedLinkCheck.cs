namespace LinkTracker.SignedLinks;

/// <summary>What verifying a signed token found; only <see cref="Valid"/> carries a payload.</summary>
public enum SignedLinkCheck
{
    Valid,
    Malformed,
    UnknownKey,
    BadSignature,
    OtherTenant,
}
