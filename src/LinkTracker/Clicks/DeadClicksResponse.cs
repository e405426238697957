using LinkTracker.RabbitMq.Clicks;

namespace LinkTracker.Clicks;

/// <summary>Click dead letters, oldest first; <paramref name="Total"/> counts them all when the list is limited.</summary>
public sealed record DeadClicksResponse(long Total, IReadOnlyList<DeadClickMessage> Items);
