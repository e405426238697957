namespace LinkTracker.Core.Links;

/// <summary>
/// A page of links, newest first, after the cursor <paramref name="After"/>. <paramref name="Text"/> keeps the links whose
/// code, destination, campaign, a tag or imported title contains it, ignoring case (ADR 23).
/// </summary>
public sealed record LinkQuery(string? After, int Limit, string? Tag, string? Campaign, string? Text = null)
{
    /// <summary>The longest text searched for: longer is never a substring of a destination (2,048) worth a scan.</summary>
    public const int MaxTextLength = 200;
}
