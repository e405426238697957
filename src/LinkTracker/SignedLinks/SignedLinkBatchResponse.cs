namespace LinkTracker.SignedLinks;

public sealed record SignedLinkBatchResponse(IReadOnlyList<SignedLinkResponse> Links);
