using System.Globalization;
using LinkTracker.Core.Legacy;
using StackExchange.Redis;

namespace LinkTracker.Redis;

/// <summary>
/// One Redis hash per tenant and minute, &lt;prefix&gt;:legacy:&lt;tenant&gt;:&lt;minute&gt; (field: kind, value: count),
/// incremented by every node and expiring after a day and an hour. The prefix is the deployment's queue prefix, so
/// deployments sharing a Redis do not count each other's requests.
/// </summary>
public sealed class RedisLegacyTrafficBoard(IConnectionMultiplexer redis, string prefix) : ILegacyTrafficBoard
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(25);

    public void Add(string tenant, long minute, int kind)
    {
        try
        {
            var database = redis.GetDatabase();
            var key = Key(tenant, minute);
            database.HashIncrement(key, kind, 1, CommandFlags.FireAndForget);
            database.KeyExpire(key, Keep, CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Redis down (fail-fast backlog): this node's own window still has it; the view says whose counts it shows.
        }
    }

    public async Task<long[]> SumAsync(string tenant, long fromMinute, long toMinute, int kinds, CancellationToken cancellationToken)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var reads = new List<Task<HashEntry[]>>();
        for (var minute = fromMinute; minute <= toMinute; minute++)
        {
            reads.Add(batch.HashGetAllAsync(Key(tenant, minute)));
        }

        batch.Execute();
        var sums = new long[kinds];
        foreach (var entries in await Task.WhenAll(reads).WaitAsync(cancellationToken))
        {
            foreach (var entry in entries)
            {
                if (int.TryParse(entry.Name.ToString(), CultureInfo.InvariantCulture, out var kind) && kind >= 0 && kind < kinds && entry.Value.TryParse(out long count))
                {
                    sums[kind] += count;
                }
            }
        }

        return sums;
    }

    private RedisKey Key(string tenant, long minute) => string.Create(CultureInfo.InvariantCulture, $"{prefix}:legacy:{tenant}:{minute}");
}
