using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LinkTracker.Clicks;
using LinkTracker.Core.Legacy;

namespace LinkTracker.Legacy;

/// <summary>
/// What was done with requests a tenant's own links did not answer, per minute over the last day (for the migration
/// view), and as the counter linktracker.legacy.requests{outcome} (for /metrics). This process keeps its own minutes; on
/// the distributed deployment every node also adds them to the <see cref="ILegacyTrafficBoard"/> (Redis), because edges
/// do the proxying and api nodes answer the view. Clicks answered here or by the legacy system are not counted here: they
/// are recorded clicks, counted from the store.
/// </summary>
public sealed partial class LegacyTraffic
{
    private const int Minutes = 24 * 60;
    private static readonly int Kinds = Enum.GetValues<LegacyOutcome>().Length;

    private readonly ConcurrentDictionary<string, Window> _tenants = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Counter<long> _requests;
    private readonly ILegacyTrafficBoard? _board;
    private readonly ILogger<LegacyTraffic> _logger;

    public LegacyTraffic(IMeterFactory meters, TimeProvider time, ILogger<LegacyTraffic> logger, ILegacyTrafficBoard? board = null)
    {
        _time = time;
        _logger = logger;
        _board = board;
        _requests = meters.Create(ClickMetrics.MeterName).CreateCounter<long>(
            "linktracker.legacy.requests", description: "Requests answered through a tenant's legacy link tracker, by outcome");
    }

    public void Count(string tenant, LegacyOutcome outcome)
    {
        _requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));
        var minute = Minute();
        _tenants.GetOrAdd(tenant, _ => new Window()).Add(minute, (int)outcome);
        _board?.Add(tenant, minute, (int)outcome);
    }

    /// <summary>
    /// The tenant's requests per outcome in the last <paramref name="minutes"/> minutes: the whole fleet's when the
    /// board answers, else this process's own (said by <see cref="LegacyRequestCounts.FleetWide"/>).
    /// </summary>
    public async Task<LegacyRequestCounts> CountsAsync(string tenant, int minutes, CancellationToken cancellationToken) =>
        (await CountsAsync(tenant, [minutes], cancellationToken))[0];

    /// <summary>As <see cref="CountsAsync(string, int, CancellationToken)"/> for several windows ending now, from one read of the board.</summary>
    public async Task<IReadOnlyList<LegacyRequestCounts>> CountsAsync(string tenant, IReadOnlyList<int> windows, CancellationToken cancellationToken)
    {
        var clamped = windows.Select(minutes => Math.Clamp(minutes, 0, Minutes)).ToArray();
        var now = Minute();
        if (_board is not null)
        {
            try
            {
                var sums = await _board.SumAsync(tenant, now, clamped, Kinds, cancellationToken);
                return Array.ConvertAll(sums, sum => new LegacyRequestCounts(sum, FleetWide: true));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogBoardUnavailable(_logger, ex);
            }
        }

        _tenants.TryGetValue(tenant, out var window);
        return Array.ConvertAll(clamped, minutes =>
        {
            var counts = new long[Kinds];
            for (var kind = 0; window is not null && kind < Kinds; kind++)
            {
                counts[kind] = window.Sum(now, kind, minutes);
            }

            return new LegacyRequestCounts(counts, FleetWide: _board is null);
        });
    }

    private long Minute() => _time.GetUtcNow().ToUnixTimeSeconds() / 60;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the fleet's legacy request counts from Redis; the migration view shows this node's own")]
    private static partial void LogBoardUnavailable(ILogger logger, Exception exception);

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
