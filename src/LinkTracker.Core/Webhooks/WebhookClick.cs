using LinkTracker.Core.Clicks;

namespace LinkTracker.Core.Webhooks;

/// <summary>A stored click with what a click webhook filters on: its link's campaign and tags (none when the link is unknown here).</summary>
public sealed record WebhookClick(Click Click, string? Campaign, IReadOnlyList<string> Tags);
