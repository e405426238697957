using LinkTracker.Analytics;
using LinkTracker.Core.Analytics;

namespace LinkTracker.Dashboard;

/// <summary>
/// The small "top values" tables under a stats chart (country, device, browser, OS, referrer host) for the page's range,
/// read from the breakdown rollups by the same <see cref="StatsService"/> as GET /api/stats?breakdown=.
/// </summary>
public sealed record BreakdownsView(IReadOnlyList<(string Label, StatsBreakdown Breakdown)> Tables)
{
    /// <summary>Values shown per table; the API's ?breakdown= lists up to <see cref="StatsService.MaxBreakdownValues"/>.</summary>
    public const int Top = 5;

    public static readonly IReadOnlyList<(BreakdownDimension Dimension, string Label)> Shown =
    [
        (BreakdownDimension.Country, "Country"),
        (BreakdownDimension.Device, "Device"),
        (BreakdownDimension.Browser, "Browser"),
        (BreakdownDimension.Os, "OS"),
        (BreakdownDimension.Referrer, "Referrer host"),
    ];

    public static BreakdownsView Empty { get; } = new([]);

    /// <summary>One rollup read per dimension, one after another: a page's reads stay within the tenant's connection budget.</summary>
    public static async Task<BreakdownsView> LoadAsync(StatsService stats, string tenant, StatsScope scope, StatsRange? range, CancellationToken cancellationToken)
    {
        if (range is null)
        {
            return Empty;
        }

        var tables = new List<(string, StatsBreakdown)>(Shown.Count);
        foreach (var (dimension, label) in Shown)
        {
            tables.Add((label, await stats.GetBreakdownAsync(tenant, scope, dimension, range, Top, cancellationToken)));
        }

        return new BreakdownsView(tables);
    }
}
