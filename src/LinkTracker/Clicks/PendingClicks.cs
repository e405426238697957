using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks;

/// <summary>
/// How many journaled clicks wait per tenant, as the journal's own index says (it keeps no count of its own), and
/// the wake-up that tells the writer or forwarder new clicks were appended.
/// </summary>
public sealed class PendingClicks(IClickJournal journal) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public long Total
    {
        get
        {
            long total = 0;
            foreach (var count in journal.CountPending().Values)
            {
                total += count;
            }

            return total;
        }
    }

    public long For(string tenant) => journal.CountPending().GetValueOrDefault(tenant);

    public IReadOnlyDictionary<string, long> Snapshot() => journal.CountPending();

    /// <summary>Tenants with waiting clicks, in a stable order for round-robin.</summary>
    public string[] TenantsWithWork() => [.. journal.CountPending().Keys.Order(StringComparer.Ordinal)];

    /// <summary>Called after an append: wakes whoever waits in <see cref="WaitAsync"/>.</summary>
    public void Appended()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread signalled first; one wake-up is enough.
            }
        }
    }

    /// <summary>Waits until clicks are appended, or the timeout passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
