namespace LinkTracker.Legacy;

/// <summary>An api node's answer to an edge that learned a link: whether it was added (false when the code was taken).</summary>
public sealed record LearnResponse(bool Added);
