namespace LinkTracker.Clicks;

/// <summary>A page of raw clicks, newest first; pass <see cref="Next"/> as ?cursor= for the next page.</summary>
public sealed record ClickListResponse(IReadOnlyList<ClickResponse> Items, string? Next);
