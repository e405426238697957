using LinkTracker.Clicks;

namespace LinkTracker.Runbook;

/// <summary>
/// The writer at a glance: what waits, how old it is, and the last two minutes second by second. JournalDepth and
/// PendingByTenant are this node's journal; WaitingByTenant adds what the deployment's other nodes report holding
/// (edges' journals, writers' deliveries; the same as PendingByTenant on the embedded deployment). Budget is the write
/// budget this writer draws on, with its use by every writer that shares it (ADR 22).
/// </summary>
public sealed record WriterStatusResponse(
    long JournalDepth,
    double LagSeconds,
    IReadOnlyDictionary<string, long> PendingByTenant,
    IReadOnlyDictionary<string, long> WaitingByTenant,
    int MaxTransactionsPerSecond,
    WriteBudgetResponse Budget,
    int BatchSize,
    long Captured,
    long CaptureFailures,
    long Transactions,
    long RowsInserted,
    long Duplicates,
    long WriteFailures,
    long Forwarded,
    long ForwardFailures,
    double LinkCacheHitRatio,
    long LinkStoreReads,
    long LinkCodesFiltered,
    int LinkCacheCount,
    long LinkSharedCacheHits,
    IReadOnlyList<WriterSecond> RecentSeconds);
