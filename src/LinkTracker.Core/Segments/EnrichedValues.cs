namespace LinkTracker.Core.Segments;

/// <summary>
/// The values the enrichment stage stores that a segment may ask for (ADR 17): devices and non-human reasons are closed
/// sets; browsers and OSes are the families of the shipped user-agent list, which an operator may extend, so those are
/// named in messages but any family name is accepted.
/// </summary>
public static class EnrichedValues
{
    public const int MaxValues = 50;

    public static IReadOnlyList<string> Devices { get; } = ["mobile", "tablet", "desktop", "bot", "other"];

    public static IReadOnlyList<string> Reasons { get; } = ["head", "prefetch", "crawler", "no-user-agent", "mail-scanner"];

    public static IReadOnlyList<string> Browsers { get; } =
        ["Chrome", "Safari", "Firefox", "Edge", "Opera", "Samsung Internet", "Yandex", "Internet Explorer", "other"];

    public static IReadOnlyList<string> Oses { get; } = ["Windows", "macOS", "iOS", "Android", "Linux", "ChromeOS", "other"];
}
