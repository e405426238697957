namespace LinkTracker.SignedLinks;

/// <summary>A signing key as the API shows it, never its secret; the newest is <c>Active</c> (signs), every listed one verifies.</summary>
public sealed record SigningKeyResponse(string Id, DateTimeOffset CreatedAt, bool Active);
