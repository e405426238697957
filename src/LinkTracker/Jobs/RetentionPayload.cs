namespace LinkTracker.Jobs;

/// <summary>A retention job's input: raw clicks before <paramref name="Before"/> go. Fixed when scheduled, so every run of the job does the same.</summary>
public sealed record RetentionPayload(DateTimeOffset Before);
