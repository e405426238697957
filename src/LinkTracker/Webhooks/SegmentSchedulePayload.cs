namespace LinkTracker.Webhooks;

/// <summary>A segment-schedule job's input: the instant the pass judges "has the local time come" at, fixed so every retry judges alike.</summary>
public sealed record SegmentSchedulePayload(DateTimeOffset AsOf);
