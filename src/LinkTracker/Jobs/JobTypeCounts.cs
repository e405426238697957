namespace LinkTracker.Jobs;

/// <summary>What the workers of this process did with one job type of one tenant (null: system jobs) since it started.</summary>
public sealed record JobTypeCounts(string Type, string? Tenant, long Succeeded, long Failed, long DeadLettered);
