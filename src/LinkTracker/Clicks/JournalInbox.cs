using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks;

/// <summary>The writer's inbox in one process: the local journal itself, read per tenant, acknowledged by position.</summary>
public sealed class JournalInbox(IClickJournal journal, PendingClicks pending) : IClickInbox
{
    public async Task StartAsync(CancellationToken cancellationToken) => pending.Load(await journal.CountPendingAsync(cancellationToken));

    public IReadOnlyList<string> TenantsWithWork() => pending.TenantsWithWork();

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => pending.WaitAsync(timeout, cancellationToken);

    public async Task<ClickBatch?> TakeAsync(string tenant, int max, CancellationToken cancellationToken)
    {
        var counted = pending.For(tenant);
        var entries = await journal.ReadAsync(tenant, max, cancellationToken);
        if (entries.Count == 0)
        {
            // Only what was counted before the read: clicks added since then stay counted.
            pending.Removed(tenant, counted);
            return null;
        }

        var clicks = new Click[entries.Count];
        for (var i = 0; i < clicks.Length; i++)
        {
            clicks[i] = entries[i].Click;
        }

        return new JournalBatch(this, tenant, clicks, entries[^1].Sequence);
    }

    public Task<DateTimeOffset?> OldestWaitingAsync(CancellationToken cancellationToken) =>
        pending.Total == 0 ? Task.FromResult<DateTimeOffset?>(null) : journal.OldestPendingAsync(null, cancellationToken);

    private sealed class JournalBatch(JournalInbox inbox, string tenant, Click[] clicks, long throughSequence) : ClickBatch(tenant, clicks)
    {
        public override async Task AcknowledgeAsync(CancellationToken cancellationToken)
        {
            await inbox.AcknowledgeAsync(Tenant, throughSequence, Clicks.Count, cancellationToken);
        }
    }

    private async Task AcknowledgeAsync(string tenant, long throughSequence, int count, CancellationToken cancellationToken)
    {
        await journal.AcknowledgeAsync(tenant, throughSequence, cancellationToken);
        pending.Removed(tenant, count);
    }
}
