namespace LinkTracker.SignedLinks;

/// <summary>Up to 1,000 links signed together: all of them or none.</summary>
public sealed record SignLinksBatchRequest(IReadOnlyList<SignLinkRequest>? Links);
