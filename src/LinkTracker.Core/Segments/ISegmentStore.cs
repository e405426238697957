namespace LinkTracker.Core.Segments;

/// <summary>
/// A tenant's segments, their runs and the recipients of each completed run, in the tenant's own database. Adapters
/// run the SQL that <see cref="SegmentSql"/> compiled; what a filter means is decided there, not here.
/// </summary>
public interface ISegmentStore
{
    SegmentDialect Dialect { get; }

    Task AddAsync(string tenant, Segment segment, CancellationToken cancellationToken);

    Task<Segment?> GetAsync(string tenant, string id, CancellationToken cancellationToken);

    /// <summary>Segments by id, those after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<Segment>> ListAsync(string tenant, string? after, int limit, CancellationToken cancellationToken);

    /// <returns>false when no segment has that id.</returns>
    Task<bool> UpdateAsync(string tenant, Segment segment, CancellationToken cancellationToken);

    /// <summary>Deletes the segment with its runs and recipients.</summary>
    /// <returns>false when no segment has that id.</returns>
    Task<bool> DeleteAsync(string tenant, string id, CancellationToken cancellationToken);

    /// <summary>The click rows the engine expects <paramref name="query"/> to read, without running it.</summary>
    /// <exception cref="SegmentTimeoutException">Estimating took longer than the limits' statement timeout.</exception>
    Task<long> EstimateRowsAsync(string tenant, SegmentQuery query, SegmentRunLimits limits, CancellationToken cancellationToken);

    /// <summary>Adds a queued run unless the tenant already has <paramref name="maxQueued"/> runs queued.</summary>
    /// <returns>false when the tenant's queue is full (nothing was added).</returns>
    Task<bool> QueueRunAsync(string tenant, SegmentRun run, int maxQueued, CancellationToken cancellationToken);

    Task<SegmentRun?> GetRunAsync(string tenant, string segmentId, string runId, CancellationToken cancellationToken);

    /// <summary>The segment's latest runs, newest requested first (any state), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<SegmentRun>> ListRunsAsync(string tenant, string segmentId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the tenant's oldest queued run, unless another run of the tenant is running and its lease has not ended:
    /// one run at a time per tenant, whichever worker holds it. A running run whose lease ended is queued again first.
    /// </summary>
    /// <returns>The run now running (state, start and lease set); null when none is queued or the tenant is busy.</returns>
    Task<SegmentRun?> StartNextRunAsync(string tenant, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="query"/> and stores its recipients under <paramref name="runId"/> in pages (ADR 29), replacing any stored there.</summary>
    /// <returns>How many recipients were stored.</returns>
    /// <exception cref="SegmentTimeoutException">The query ran longer than the limits' statement timeout; nothing was stored.</exception>
    Task<long> StoreRecipientsAsync(string tenant, string runId, SegmentQuery query, SegmentRunLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Records a finished run; a completed one becomes the segment's last, and older runs' recipients are dropped (so are
    /// this run's when its segment was deleted meanwhile).
    /// </summary>
    Task FinishRunAsync(string tenant, SegmentRun run, CancellationToken cancellationToken);

    /// <summary>The segment's most recently finished completed run.</summary>
    Task<SegmentRun?> GetLastCompletedRunAsync(string tenant, string segmentId, CancellationToken cancellationToken);

    /// <summary>
    /// A run's recipients in <see cref="RecipientPages.Order"/> (code point order), those after <paramref name="after"/>,
    /// read from the page that may hold it on.
    /// </summary>
    Task<IReadOnlyList<string>> ListRecipientsAsync(string tenant, string runId, string? after, int limit, CancellationToken cancellationToken);
}
