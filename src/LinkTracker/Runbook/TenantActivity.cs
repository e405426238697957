using System.Collections.Concurrent;

namespace LinkTracker.Runbook;

/// <summary>
/// What each tenant did in the last five minutes (clicks written, writer time, unknown codes, stats queries, link
/// creations): the evidence the doctor and the insights read. Fed where the work already happens (the writer, a link
/// cache miss, the stats service, link creation), never per cached redirect. One window per tenant and kind. On the
/// distributed deployment <see cref="RunbookFleet"/> sends what this node adds to the others and counts theirs here.
/// </summary>
public sealed class TenantActivity(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Tenant, TenantActivityKind Kind), WindowCounter> _counters = new();
    private ConcurrentDictionary<(string Tenant, TenantActivityKind Kind), long>? _unsent;

    /// <summary>How far back <see cref="Sum"/> looks.</summary>
    public static TimeSpan Window => WindowCounter.Window;

    public void Add(string tenant, TenantActivityKind kind, long amount = 1)
    {
        Receive(tenant, kind, amount);
        _unsent?.AddOrUpdate((tenant, kind), amount, (_, sum) => sum + amount);
    }

    /// <summary>From now on, keeps what this node adds for <see cref="TakeUnsent"/> too.</summary>
    public void ShareWithFleet() => Interlocked.CompareExchange(ref _unsent, new(), null);

    /// <summary>What this node added since the last call (empty unless shared).</summary>
    public IReadOnlyList<ActivityDelta> TakeUnsent()
    {
        var taken = new List<ActivityDelta>();
        foreach (var key in _unsent?.Keys ?? [])
        {
            if (_unsent!.TryRemove(key, out var amount))
            {
                taken.Add(new ActivityDelta(key.Tenant, key.Kind, amount));
            }
        }

        return taken;
    }

    /// <summary>Another node's activity, counted as of now (and not sent on).</summary>
    public void Receive(string tenant, TenantActivityKind kind, long amount) =>
        _counters.GetOrAdd((tenant, kind), static _ => new WindowCounter()).Add(time.GetUtcNow(), amount);

    /// <summary>The tenant's total of <paramref name="kind"/> over the window.</summary>
    public long Sum(string tenant, TenantActivityKind kind) =>
        _counters.TryGetValue((tenant, kind), out var counter) ? counter.Sum(time.GetUtcNow()) : 0;

    /// <summary>Every tenant's total of <paramref name="kind"/> over the window, zeros left out.</summary>
    public IReadOnlyDictionary<string, long> ByTenant(TenantActivityKind kind)
    {
        var now = time.GetUtcNow();
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var ((tenant, k), counter) in _counters)
        {
            if (k == kind && counter.Sum(now) is > 0 and var sum)
            {
                result[tenant] = sum;
            }
        }

        return result;
    }
}
