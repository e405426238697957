namespace LinkTracker.Runbook.Insights;

/// <summary>What a tenant does that costs it, in plain words, with the numbers and the fix.</summary>
/// <param name="Rule">Stable name of the rule, e.g. "stats-polling".</param>
/// <param name="Title">What we noticed.</param>
/// <param name="Cost">What it costs the tenant.</param>
/// <param name="Fix">What to do instead.</param>
/// <param name="Evidence">The numbers behind it.</param>
public sealed record Insight(string Rule, string Title, string Cost, string Fix, string Evidence);
