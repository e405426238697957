namespace LinkTracker.Clicks;

/// <summary>What the writer did in one wall-clock second.</summary>
public sealed record WriterSecond(DateTimeOffset Second, int Transactions, long RowsInserted);
