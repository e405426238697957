namespace LinkTracker.Core.Analytics;

/// <summary>One hour of one scope: clicks, clicks by people, and recipients seen for the first time in that hour.</summary>
public readonly record struct HourlyRollup(DateTimeOffset Hour, long Clicks, long HumanClicks, long NewRecipients);
