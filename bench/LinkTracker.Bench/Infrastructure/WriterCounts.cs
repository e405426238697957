namespace LinkTracker.Bench.Infrastructure;

/// <summary>
/// What the service itself counted (/ops/writer): clicks captured into a journal where the redirects were served (the
/// server, or the edges) and what the writer made of them (the server, or the workers). Each process counts from its
/// own start, so a run without a restart holds captured = stored = rows inserted, and duplicates = 0.
/// </summary>
public sealed record WriterCounts(long Captured, long CaptureFailures, long RowsInserted, long Duplicates)
{
    /// <summary>One process that both serves redirects and writes them (the embedded deployment).</summary>
    public static WriterCounts Of(WriterStatus server) => Of([server], [server]);

    /// <summary>Captured summed over the processes that serve redirects, written summed over those that write.</summary>
    public static WriterCounts Of(IEnumerable<WriterStatus> capturing, IEnumerable<WriterStatus> writing)
    {
        long captured = 0, failures = 0, inserted = 0, duplicates = 0;
        foreach (var status in capturing)
        {
            captured += status.Captured;
            failures += status.CaptureFailures;
        }

        foreach (var status in writing)
        {
            inserted += status.RowsInserted;
            duplicates += status.Duplicates;
        }

        return new WriterCounts(captured, failures, inserted, duplicates);
    }

    /// <summary>What the same processes counted since <paramref name="before"/>.</summary>
    public WriterCounts Since(WriterCounts before) => new(
        Captured - before.Captured, CaptureFailures - before.CaptureFailures, RowsInserted - before.RowsInserted, Duplicates - before.Duplicates);
}
