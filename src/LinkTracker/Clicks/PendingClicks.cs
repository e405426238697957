using System.Collections.Concurrent;

namespace LinkTracker.Clicks;

/// <summary>
/// How many journaled clicks wait per tenant, kept in memory so the writer knows whom to serve without
/// scanning the journal; loaded from the journal at start.
/// </summary>
public sealed class PendingClicks : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0, 1);

    public long Total => _counts.Values.Sum();

    public void Load(IReadOnlyDictionary<string, long> counts)
    {
        foreach (var (tenant, count) in counts)
        {
            _counts[tenant] = count;
        }

        Signal();
    }

    public void Added(string tenant, long count)
    {
        _counts.AddOrUpdate(tenant, count, (_, c) => c + count);
        Signal();
    }

    public void Removed(string tenant, long count) => _counts.AddOrUpdate(tenant, 0, (_, c) => Math.Max(0, c - count));

    public long For(string tenant) => _counts.GetValueOrDefault(tenant);

    public IReadOnlyDictionary<string, long> Snapshot() => _counts.Where(c => c.Value > 0).ToDictionary(StringComparer.Ordinal);

    /// <summary>Tenants with waiting clicks, in a stable order for round-robin.</summary>
    public string[] TenantsWithWork() => [.. _counts.Where(c => c.Value > 0).Select(c => c.Key).Order(StringComparer.Ordinal)];

    /// <summary>Waits until clicks are added, or the timeout passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();

    private void Signal()
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
}
