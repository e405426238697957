namespace LinkTracker.Core.Links;

/// <summary>Where a link sends a click that matches <paramref name="When"/> instead of its destination.</summary>
public sealed record RedirectRule(RuleCondition When, string Url);
