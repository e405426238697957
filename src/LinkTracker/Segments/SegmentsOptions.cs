using System.ComponentModel.DataAnnotations;
using LinkTracker.Core.Segments;

namespace LinkTracker.Segments;

/// <summary>Guardrails of segment runs: what one run may cost, how long its query may take, how many may wait.</summary>
public sealed class SegmentsOptions
{
    public const string Section = "Segments";

    /// <summary>The most click rows the engine may expect one run (or preview) to read; above it the run is refused with 422.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRowsPerRun { get; set; } = 5_000_000;

    /// <summary>How long one segment query may run before the engine stops it (PostgreSQL statement_timeout, SQLite progress handler).</summary>
    [Range(typeof(TimeSpan), "00:00:00.0000001", "00:30:00")]
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// PostgreSQL's work_mem for one segment query (SET LOCAL in its transaction): the memory each sort or hash aggregate
    /// may hold before it spills to temporary files; "at least N clicks" aggregates every recipient of its window.
    /// </summary>
    [Range(1, 2048)]
    public int WorkMemoryMegabytes { get; set; } = 64;

    /// <summary>Runs a tenant may have waiting behind the one running; asking for more answers 429.</summary>
    [Range(1, 100)]
    public int QueuedRunsPerTenant { get; set; } = 3;

    /// <summary>What each segment query (estimate and run) is given, from the two settings above.</summary>
    public SegmentRunLimits RunLimits => new(StatementTimeout, WorkMemoryMegabytes);

    /// <summary>How long a started run holds its tenant's slot if its worker vanishes: the time limit twice, plus a minute.</summary>
    public TimeSpan RunLease => (StatementTimeout * 2) + TimeSpan.FromMinutes(1);
}
