namespace LinkTracker.Core.Links;

/// <summary>A code a tenant already has: where it points, its campaign, and whether its link was deleted (the code stays taken).</summary>
public sealed record ExistingCode(string Code, string Destination, string? Campaign, bool Deleted);
