using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LinkTracker.Clicks;

namespace LinkTracker.Legacy;

/// <summary>
/// What this process did with requests its own links did not answer, per tenant and minute over the last day (for the
/// migration view), and as the counter linktracker.legacy.requests{outcome} (for /metrics). Clicks answered here or by
/// the legacy system are not counted here: they are recorded clicks, counted from the store.
/// </summary>
public sealed class LegacyTraffic
{
    private const int Minutes = 24 * 60;
    private static readonly int Kinds = Enum.GetValues<LegacyOutcome>().Length;

    private readonly ConcurrentDictionary<string, Window> _tenants = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Counter<long> _requests;

    public LegacyTraffic(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        _requests = meters.Create(ClickMetrics.MeterName).CreateCounter<long>(
            "linktracker.legacy.requests", description: "Requests answered through a tenant's legacy link tracker, by outcome");
    }

    public void Count(string tenant, LegacyOutcome outcome)
    {
        _requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));
        _tenants.GetOrAdd(tenant, _ => new Window()).Add(Minute(), (int)outcome);
    }

    /// <returns>The tenant's requests of that outcome in the last <paramref name="minutes"/> minutes.</returns>
    public long Sum(string tenant, LegacyOutcome outcome, int minutes) =>
        _tenants.TryGetValue(tenant, out var window) ? window.Sum(Minute(), (int)outcome, Math.Min(minutes, Minutes)) : 0;

    private long Minute() => _time.GetUtcNow().ToUnixTimeSeconds() / 60;

    private sealed class Window
    {
        private readonly long[] _stamps = new long[Minutes];
        private readonly long[] _counts = new long[Minutes * Kinds];

        public void Add(long minute, int kind)
        {
            var slot = (int)(minute % Minutes);
            lock (this)
            {
                if (_stamps[slot] != minute)
                {
                    _stamps[slot] = minute;
                    Array.Clear(_counts, slot * Kinds, Kinds);
                }

                _counts[(slot * Kinds) + kind]++;
            }
        }

        public long Sum(long now, int kind, int minutes)
        {
            long sum = 0;
            lock (this)
            {
                for (var minute = now - minutes + 1; minute <= now; minute++)
                {
                    var slot = (int)(minute % Minutes);
                    if (_stamps[slot] == minute)
                    {
                        sum += _counts[(slot * Kinds) + kind];
                    }
                }
            }

            return sum;
        }
    }
}
