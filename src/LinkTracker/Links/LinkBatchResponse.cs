namespace LinkTracker.Links;

public sealed record LinkBatchResponse(IReadOnlyList<LinkResponse> Links);
