using System.Collections.Concurrent;

namespace LinkTracker.Runbook;

/// <summary>
/// What each tenant did in the last five minutes (clicks written, writer time, unknown codes, stats queries, link
/// creations): the evidence the doctor and the insights read. Fed where the work already happens (the writer, a link
/// cache miss, the stats service, link creation), never per cached redirect. One window per tenant and kind.
/// </summary>
public sealed class TenantActivity(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Tenant, TenantActivityKind Kind), WindowCounter> _counters = new();

    /// <summary>How far back <see cref="Sum"/> looks.</summary>
    public static TimeSpan Window => WindowCounter.Window;

    public void Add(string tenant, TenantActivityKind kind, long amount = 1) =>
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
