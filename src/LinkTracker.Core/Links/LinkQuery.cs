namespace LinkTracker.Core.Links;

/// <summary>A page of links, newest first, after the cursor <paramref name="After"/>.</summary>
public sealed record LinkQuery(string? After, int Limit, string? Tag, string? Campaign);
