namespace LinkTracker.Core.Links;

/// <summary>A read of the shared link cache: the entry, if any, and the code's generation at the time of the read.</summary>
public readonly record struct SharedLinkRead(SharedLink? Link, long Generation);
