namespace LinkTracker.Core.Legacy;

/// <summary>A link as the legacy system answered it: its code, the Location it redirected to and the status it used.</summary>
public sealed record LearnedLink(string Code, string Destination, int LegacyStatus, DateTimeOffset LearnedAt);
