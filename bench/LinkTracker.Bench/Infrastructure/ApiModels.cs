namespace LinkTracker.Bench.Infrastructure;

// The parts of the service's JSON the bench reads, declared here so the bench depends on the wire format only.

public sealed record NewLink(string Url, string? Code = null, string? Campaign = null);

public sealed record StatsTotals(long Clicks, long HumanClicks, long UniqueRecipients);

public sealed record StatsFreshness(long PendingClicks, double LagSeconds);

public sealed record StatsResult(StatsTotals Totals, StatsFreshness Freshness);

public sealed record ClickItem(Guid Id, DateTimeOffset At, string? Recipient, bool Human);

public sealed record ClickPage(IReadOnlyList<ClickItem> Items, string? Next);

public sealed record WriterSecond(DateTimeOffset Second, int Transactions, long RowsInserted);

public sealed record WriterStatus(
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
