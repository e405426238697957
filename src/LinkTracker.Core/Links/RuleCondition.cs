namespace LinkTracker.Core.Links;

/// <summary>One condition of a redirect rule: exactly one list is set (ISO country codes, device kinds or operating systems).</summary>
public sealed record RuleCondition(IReadOnlyList<string>? Country = null, IReadOnlyList<string>? Device = null, IReadOnlyList<string>? Os = null);
