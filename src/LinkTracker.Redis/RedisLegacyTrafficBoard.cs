using System.Globalization;
using LinkTracker.Core.Legacy;
using StackExchange.Redis;

namespace LinkTracker.Redis;

/// <summary>
/// One Redis hash per tenant and minute, &lt;prefix&gt;:legacy:&lt;tenant&gt;:&lt;minute&gt; (field: kind, value: count),
/// incremented by every node and expiring after a day and an hour. The prefix is the deployment's queue prefix, so
/// deployments sharing a Redis do not count each other's requests.
/// </summary>
/// <remarks>
/// Requests are added up in memory and sent once a <c>flushEvery</c> (a second): one pipeline of one HINCRBY per
/// tenant, minute and kind and one EXPIRE per hash, whatever the request rate. Disposing sends what is left.
/// </remarks>
public sealed class RedisLegacyTrafficBoard : ILegacyTrafficBoard, IDisposable
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(25);

    private readonly IConnectionMultiplexer _redis;
    private readonly string _prefix;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private Dictionary<(string Tenant, long Minute, int Kind), long> _pending = [];

    public RedisLegacyTrafficBoard(IConnectionMultiplexer redis, string prefix, TimeSpan? flushEvery = null, TimeProvider? time = null)
    {
        _redis = redis;
        _prefix = prefix;
        var every = flushEvery ?? TimeSpan.FromSeconds(1);
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => Flush(), null, every, every);
    }

    public void Add(string tenant, long minute, int kind)
    {
        lock (_gate)
        {
            _pending[(tenant, minute, kind)] = _pending.GetValueOrDefault((tenant, minute, kind)) + 1;
        }
    }

    /// <summary>Sends the counts added since the last flush, without waiting for Redis.</summary>
    public void Flush()
    {
        Dictionary<(string Tenant, long Minute, int Kind), long> pending;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            pending = _pending;
            _pending = [];
        }

        try
        {
            var batch = _redis.GetDatabase().CreateBatch();
            var keys = new HashSet<RedisKey>();
            foreach (var ((tenant, minute, kind), count) in pending)
            {
                var key = Key(tenant, minute);
                _ = batch.HashIncrementAsync(key, kind, count, CommandFlags.FireAndForget);
                if (keys.Add(key))
                {
                    _ = batch.KeyExpireAsync(key, Keep, flags: CommandFlags.FireAndForget);
                }
            }

            batch.Execute();
        }
        catch (RedisException)
        {
            // Redis down (fail-fast backlog): this node's own window still has them; the view says whose counts it shows.
        }
    }

    public async Task<long[][]> SumAsync(string tenant, long toMinute, IReadOnlyList<int> windows, int kinds, CancellationToken cancellationToken)
    {
        var widest = windows.Count == 0 ? 0 : windows.Max();
        var batch = _redis.GetDatabase().CreateBatch();
        var reads = new List<Task<HashEntry[]>>(widest);
        for (var minute = toMinute - widest + 1; minute <= toMinute; minute++)
        {
            reads.Add(batch.HashGetAllAsync(Key(tenant, minute)));
        }

        batch.Execute();
        var sums = windows.Select(_ => new long[kinds]).ToArray();
        var read = await Task.WhenAll(reads).WaitAsync(cancellationToken);
        for (var i = 0; i < read.Length; i++)
        {
            var age = widest - 1 - i; // minutes before toMinute
            foreach (var entry in read[i])
            {
                if (!int.TryParse(entry.Name.ToString(), CultureInfo.InvariantCulture, out var kind) || kind < 0 || kind >= kinds || !entry.Value.TryParse(out long count))
                {
                    continue;
                }

                for (var w = 0; w < windows.Count; w++)
                {
                    if (age < windows[w])
                    {
                        sums[w][kind] += count;
                    }
                }
            }
        }

        return sums;
    }

    public void Dispose()
    {
        _timer.Dispose();
        Flush();
    }

    private RedisKey Key(string tenant, long minute) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}:legacy:{tenant}:{minute}");
}
