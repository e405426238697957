using LinkTracker.Runbook.Slow;

namespace LinkTracker.Runbook;

/// <summary>One second of a node's runbook evidence, as it travels on the <see cref="Core.Runbook.IRunbookFeed"/>.</summary>
public sealed record RunbookFleetMessage(string Node, IReadOnlyList<SlowOperation> Slow, IReadOnlyList<ActivityDelta> Activity);
