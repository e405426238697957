namespace LinkTracker.Core.Links;

/// <summary>What a shared (second-level) cache keeps of a link: enough to redirect, or the fact that there is none.</summary>
public sealed record SharedLink(bool Exists, string? Destination, DateTimeOffset? ExpiresAt, bool Disabled)
{
    public static SharedLink Missing { get; } = new(false, null, null, false);
}
