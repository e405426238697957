namespace LinkTracker.Links;

/// <summary>Up to 1,000 links created together (a campaign's recipients): all of them or none.</summary>
public sealed record CreateLinksBatchRequest(IReadOnlyList<CreateLinkRequest>? Links);
