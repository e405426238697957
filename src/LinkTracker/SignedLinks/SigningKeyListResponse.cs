namespace LinkTracker.SignedLinks;

public sealed record SigningKeyListResponse(IReadOnlyList<SigningKeyResponse> Items);
