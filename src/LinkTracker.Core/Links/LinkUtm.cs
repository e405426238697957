namespace LinkTracker.Core.Links;

/// <summary>The UTM parameters a link adds to its destination's query (utm_source, utm_medium, ...); null: not set.</summary>
public sealed record LinkUtm(string? Source = null, string? Medium = null, string? Campaign = null, string? Term = null, string? Content = null)
{
    /// <summary>The query names, in the order they are appended.</summary>
    public static readonly string[] Names = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

    public bool IsEmpty => Source is null && Medium is null && Campaign is null && Term is null && Content is null;

    /// <summary>The values in the order of <see cref="Names"/>.</summary>
    public string?[] Values => [Source, Medium, Campaign, Term, Content];
}
