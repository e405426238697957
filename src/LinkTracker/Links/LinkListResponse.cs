namespace LinkTracker.Links;

/// <summary>A page of links; pass <see cref="Next"/> as ?cursor= for the next page (null on the last one).</summary>
public sealed record LinkListResponse(IReadOnlyList<LinkResponse> Items, string? Next);
