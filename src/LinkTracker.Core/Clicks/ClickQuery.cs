namespace LinkTracker.Core.Clicks;

/// <summary>Raw clicks of one link, newest first, after the cursor, within [From, To).</summary>
public sealed record ClickQuery(string Code, string? After, int Limit, DateTimeOffset? From, DateTimeOffset? To);
