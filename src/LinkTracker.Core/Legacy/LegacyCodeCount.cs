namespace LinkTracker.Core.Legacy;

/// <summary>A legacy code still clicked: all its clicks, and how many of them the legacy system had to answer.</summary>
public sealed record LegacyCodeCount(string Code, long Clicks, long AnsweredByLegacy);
