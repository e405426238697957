using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks;

/// <summary>The writer's inbox in one process: the local journal itself, read per tenant, acknowledged by position.</summary>
public sealed class JournalInbox(IClickJournal journal, PendingClicks pending) : IClickInbox
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        pending.Appended(); // what the last run left waits already
        return Task.CompletedTask;
    }

    public IReadOnlyList<string> TenantsWithWork() => pending.TenantsWithWork();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => pending.WaitAsync(timeout, cancellationToken);

    public async Task<ClickBatch?> TakeAsync(string tenant, int max, CancellationToken cancellationToken)
    {
        var entries = await journal.ReadAsync(tenant, max, cancellationToken);
        if (entries.Count == 0)
        {
            return null;
        }

        var clicks = new Click[entries.Count];
        for (var i = 0; i < clicks.Length; i++)
        {
            clicks[i] = entries[i].Click;
        }

        return new JournalBatch(journal, tenant, clicks, entries[^1].Sequence);
    }

    public Task<DateTimeOffset?> OldestWaitingAsync(CancellationToken cancellationToken) => journal.OldestPendingAsync(null, cancellationToken);

    private sealed class JournalBatch(IClickJournal journal, string tenant, Click[] clicks, long throughSequence) : ClickBatch(tenant, clicks)
    {
        public override Task AcknowledgeAsync(CancellationToken cancellationToken) => journal.AcknowledgeAsync(Tenant, throughSequence, cancellationToken);
    }
}
