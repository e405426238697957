using LinkTracker.Clicks;

namespace LinkTracker.Runbook;

/// <summary>The writer at a glance: what waits, how old it is, and the last two minutes second by second.</summary>
public sealed record WriterStatusResponse(
    long JournalDepth,
    double LagSeconds,
    IReadOnlyDictionary<string, long> PendingByTenant,
    int MaxTransactionsPerSecond,
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
