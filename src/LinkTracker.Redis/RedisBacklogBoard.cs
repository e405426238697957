using System.Globalization;
using LinkTracker.Core.Clicks;
using StackExchange.Redis;

namespace LinkTracker.Redis;

/// <summary>
/// Reports in Redis hashes &lt;prefix&gt;:backlog:&lt;node&gt; (field: tenant, value: "&lt;clicks&gt; &lt;oldest ms&gt;") that
/// expire on their own, listed in the sorted set &lt;prefix&gt;:backlog:nodes scored by the report's time. The prefix is
/// the deployment's queue prefix, so deployments sharing a Redis do not count each other's clicks.
/// </summary>
public sealed class RedisBacklogBoard(IConnectionMultiplexer redis, string prefix) : IBacklogBoard
{
    private readonly RedisKey _nodes = prefix + ":backlog:nodes";

    public async Task PublishAsync(string node, IReadOnlyDictionary<string, WaitingClicks> held, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var key = Key(node);
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.KeyDeleteAsync(key);
        if (held.Count > 0)
        {
            _ = transaction.HashSetAsync(key, [.. held.Select(h => new HashEntry(h.Key, string.Create(CultureInfo.InvariantCulture, $"{h.Value.Clicks} {h.Value.OldestMs}")))]);
            _ = transaction.KeyExpireAsync(key, timeToLive);
        }

        _ = transaction.SortedSetAddAsync(_nodes, node, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await transaction.ExecuteAsync();
    }

    public async Task<IReadOnlyList<IReadOnlyDictionary<string, WaitingClicks>>> ReadAsync(string exceptNode, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        // Nodes that have not reported for a minute are gone; their hashes expired long before.
        await database.SortedSetRemoveRangeByScoreAsync(_nodes, double.NegativeInfinity, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
        var reports = new List<IReadOnlyDictionary<string, WaitingClicks>>();
        foreach (var node in await database.SortedSetRangeByRankAsync(_nodes))
        {
            if (node == exceptNode)
            {
                continue;
            }

            var report = new Dictionary<string, WaitingClicks>(StringComparer.Ordinal);
            foreach (var entry in await database.HashGetAllAsync(Key(node.ToString())))
            {
                var parts = entry.Value.ToString().Split(' ');
                if (parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var clicks) && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var oldest))
                {
                    report[entry.Name.ToString()] = new WaitingClicks(clicks, oldest);
                }
            }

            reports.Add(report);
        }

        return reports;
    }

    private RedisKey Key(string node) => prefix + ":backlog:" + node;
}
