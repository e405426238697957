using System.Globalization;
using LinkTracker.Core.Segments;
using Microsoft.Extensions.Options;

namespace LinkTracker.Segments;

/// <summary>
/// The cost guardrail, one rule for preview, request and run: a filter may run when the engine expects it to read at most
/// Segments:MaxRowsPerRun click rows (PostgreSQL: EXPLAIN's scan rows; SQLite: the rows in the filter's time windows).
/// </summary>
public sealed class SegmentCost(ISegmentStore store, IOptions<SegmentsOptions> options)
{
    /// <exception cref="SegmentTimeoutException">Even the estimate took longer than Segments:StatementTimeout.</exception>
    public async Task<SegmentPreviewResponse> EstimateAsync(string tenant, SegmentFilter filter, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var query = SegmentSql.Compile(filter, store.Dialect, asOf);
        var rows = await store.EstimateRowsAsync(tenant, query, options.Value.RunLimits, cancellationToken);
        var max = options.Value.MaxRowsPerRun;
        return new SegmentPreviewResponse(rows, max, rows <= max, query.Shape, rows <= max ? null : TooCostly(rows, max));
    }

    public static string TooCostly(long rows, long max) => string.Create(CultureInfo.InvariantCulture,
        $"A run of this filter is expected to read {rows:N0} click rows, more than the limit of {max:N0} per run (Segments:MaxRowsPerRun). ")
        + "Narrow it: give each clicked/clicks a shorter within or a from/to window, add a link or campaign condition, "
        + "or avoid a top-level not (it reads every recipient's clicks). Check the cost with POST /api/segments/preview.";
}
