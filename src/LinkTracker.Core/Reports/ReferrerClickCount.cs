namespace LinkTracker.Core.Reports;

/// <summary>Clicks (human or not) that sent exactly this referrer; null for clicks without one.</summary>
public sealed record ReferrerClickCount(string? Referrer, long Clicks);
