using LinkTracker.Core.Runbook;
using StackExchange.Redis;

namespace LinkTracker.Redis;

/// <summary>
/// Runbook evidence on the pub/sub channel &lt;prefix&gt;:runbook. At most once: a node that is not subscribed at the
/// moment (starting, or Redis reconnecting) misses those messages; the evidence is a five-minute view, not a record.
/// </summary>
public sealed class RedisRunbookFeed(IConnectionMultiplexer redis, string prefix) : IRunbookFeed
{
    private readonly RedisChannel _channel = RedisChannel.Literal(prefix + ":runbook");

    public void Publish(string message)
    {
        try
        {
            redis.GetSubscriber().Publish(_channel, message, CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Redis down (fail-fast backlog): this node keeps its own evidence; the others miss this second's.
        }
    }

    public Task SubscribeAsync(Action<string> handler, CancellationToken cancellationToken) =>
        redis.GetSubscriber().SubscribeAsync(_channel, (_, value) => handler(value.ToString())).WaitAsync(cancellationToken);
}
