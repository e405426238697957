using LinkTracker.Core.Clicks;
using LinkTracker.Core.Segments;

namespace LinkTracker.IntegrationTests.Segments;

/// <summary>
/// The plain meaning of a filter, evaluated over clicks in memory: the spec the compiled SQL is checked against.
/// A link is (code, campaign, tags); a click counts by its time to the millisecond, as click ids do.
/// </summary>
internal static class SegmentModel
{
    public static HashSet<string> Evaluate(SegmentFilter filter, IReadOnlyList<Click> clicks, IReadOnlyDictionary<string, (string? Campaign, string[] Tags)> links, DateTimeOffset asOf)
    {
        var everyone = clicks.Where(c => c.Recipient is not null).Select(c => c.Recipient!).ToHashSet(StringComparer.Ordinal);
        return filter switch
        {
            AllFilter all => all.Filters.Select(f => Evaluate(f, clicks, links, asOf)).Aggregate((a, b) => [.. a.Intersect(b, StringComparer.Ordinal)]),
            AnyFilter any => any.Filters.Select(f => Evaluate(f, clicks, links, asOf)).Aggregate((a, b) => [.. a.Union(b, StringComparer.Ordinal)]),
            NotFilter not => [.. everyone.Except(Evaluate(not.Filter, clicks, links, asOf), StringComparer.Ordinal)],
            ClickedFilter clicked => Counts(clicked.Conditions, clicks, links, asOf).Where(c => c.Value >= 1).Select(c => c.Key).ToHashSet(StringComparer.Ordinal),
            ClicksFilter many => Counts(many.Conditions, clicks, links, asOf).Where(c => c.Value >= many.AtLeast).Select(c => c.Key).ToHashSet(StringComparer.Ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
    }

    private static Dictionary<string, int> Counts(ClickConditions c, IReadOnlyList<Click> clicks, IReadOnlyDictionary<string, (string? Campaign, string[] Tags)> links, DateTimeOffset asOf) =>
        clicks.Where(click => click.Recipient is not null && Matches(c, click, links, asOf))
            .GroupBy(click => click.Recipient!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static bool Matches(ClickConditions c, Click click, IReadOnlyDictionary<string, (string? Campaign, string[] Tags)> links, DateTimeOffset asOf)
    {
        var at = click.At.ToUnixTimeMilliseconds();
        var link = links.TryGetValue(click.Code, out var l) ? l : ((string?)null, Array.Empty<string>());
        return (c.Since(asOf) is not { } since || at >= since.ToUnixTimeMilliseconds())
            && (c.Within is not null || c.To is not { } to || at < to.ToUnixTimeMilliseconds())
            && (c.Link is null || click.Code == c.Link)
            && (c.Campaign is null || link.Item1 == c.Campaign)
            && (c.Tag is null || link.Item2.Contains(c.Tag))
            && (c.Human is not { } human || click.IsHuman == human)
            && (c.ReferrerHost is null || FromHost(click.Referrer, c.ReferrerHost))
            && AnyOf(c.Country, click.Country)
            && AnyOf(c.Device, click.Device)
            && AnyOf(c.Browser, click.Browser?.ToLowerInvariant())
            && AnyOf(c.Os, click.Os?.ToLowerInvariant())
            && AnyOf(c.Reason, click.Reason);
    }

    /// <summary>No list: any click; a list: the click has a value and it is one of them (a missing value matches none).</summary>
    private static bool AnyOf(IReadOnlyList<string>? values, string? value) => values is null || (value is not null && values.Contains(value, StringComparer.Ordinal));

    /// <summary>The referrer, ASCII letters lowercased, is http(s)://host alone or followed by a path, port or query.</summary>
    private static bool FromHost(string? referrer, string host)
    {
        if (referrer is null)
        {
            return false;
        }

        var lower = string.Concat(referrer.Select(ch => ch is >= 'A' and <= 'Z' ? (char)(ch + 32) : ch));
        return new[] { "http://", "https://" }.Any(scheme =>
            lower == scheme + host || new[] { "/", ":", "?" }.Any(next => lower.StartsWith(scheme + host + next, StringComparison.Ordinal)));
    }
}
