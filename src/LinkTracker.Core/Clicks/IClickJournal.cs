namespace LinkTracker.Core.Clicks;

/// <summary>
/// The durable local queue between the redirect and the writer. An append is durable when its task completes;
/// entries are read per tenant so the writer can schedule tenants fairly.
/// </summary>
public interface IClickJournal
{
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Appends the clicks in one durable transaction (one group commit).</summary>
    Task AppendAsync(IReadOnlyList<Click> clicks, CancellationToken cancellationToken);

    /// <summary>The oldest entries of one tenant, in order.</summary>
    Task<IReadOnlyList<JournalEntry>> ReadAsync(string tenant, int max, CancellationToken cancellationToken);

    /// <summary>Removes the tenant's entries up to and including <paramref name="throughSequence"/>.</summary>
    Task AcknowledgeAsync(string tenant, long throughSequence, CancellationToken cancellationToken);

    /// <summary>
    /// How many entries wait (appended, not acknowledged), per tenant with any: the one source of that number for the
    /// writer, the forwarder, stats freshness and /ops. Answered from the journal's own index, without I/O.
    /// </summary>
    IReadOnlyDictionary<string, long> CountPending();

    /// <summary>When the oldest waiting click happened, for one tenant or (null) for all.</summary>
    Task<DateTimeOffset?> OldestPendingAsync(string? tenant, CancellationToken cancellationToken);
}
