namespace LinkTracker.Core.Legacy;

/// <summary>Recorded clicks of a window answered here and by the legacy system, and the links learned in it.</summary>
public sealed record LegacyCounts(long AnsweredLocally, long AnsweredByLegacy, long Learned);
