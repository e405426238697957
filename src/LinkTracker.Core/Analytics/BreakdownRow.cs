namespace LinkTracker.Core.Analytics;

/// <summary>One value of a breakdown over a range: its clicks and human clicks.</summary>
public readonly record struct BreakdownRow(string Value, long Clicks, long HumanClicks);
