using LinkTracker.Core.Clicks;

namespace LinkTracker.Core.Analytics;

/// <summary>The one rule for the value a click counts under in each breakdown, shared by every store's rollups.</summary>
public static class ClickBreakdown
{
    public const string Unknown = "(unknown)";
    public const string Direct = "(direct)";
    public const string Other = "(other)";
    public const string Human = "(human)";

    public static IReadOnlyList<BreakdownDimension> Dimensions { get; } = Enum.GetValues<BreakdownDimension>();

    /// <summary>The name stored in rollup_breakdown.dimension and accepted by the API: "country", "device", ...</summary>
    public static string Name(BreakdownDimension dimension) => dimension switch
    {
        BreakdownDimension.Country => "country",
        BreakdownDimension.Device => "device",
        BreakdownDimension.Browser => "browser",
        BreakdownDimension.Os => "os",
        BreakdownDimension.Referrer => "referrer",
        _ => "reason",
    };

    public static BreakdownDimension? Parse(string? name) =>
        Dimensions.Cast<BreakdownDimension?>().FirstOrDefault(d => string.Equals(Name(d!.Value), name, StringComparison.OrdinalIgnoreCase));

    public static string ValueOf(Click click, BreakdownDimension dimension) => dimension switch
    {
        BreakdownDimension.Country => click.Country ?? Unknown,
        BreakdownDimension.Device => click.Device ?? Unknown,
        BreakdownDimension.Browser => click.Browser ?? Unknown,
        BreakdownDimension.Os => click.Os ?? Unknown,
        BreakdownDimension.Referrer => ReferrerHost(click.Referrer),
        _ => click.IsHuman ? Human : click.Reason ?? Unknown,
    };

    /// <summary>The referring host in lower case, "(direct)" without a referrer, "(other)" when it is no URL with a host.</summary>
    public static string ReferrerHost(string? referrer)
    {
        if (string.IsNullOrWhiteSpace(referrer))
        {
            return Direct;
        }

        return Uri.TryCreate(referrer.Trim(), UriKind.Absolute, out var uri) && !uri.IsFile && uri.IdnHost.Length > 0
            ? uri.IdnHost.ToLowerInvariant()
            : Other;
    }
}
