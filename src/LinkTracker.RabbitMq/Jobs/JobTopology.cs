using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace LinkTracker.RabbitMq.Jobs;

/// <summary>
/// The queues of one job queue, all named after its prefix: "work" (quorum, the delivery limit and the at-least-once
/// dead-lettering), "dead" (classic, so it can be browsed without counting deliveries), one "retry.N" per failed
/// attempt number and "delay.&lt;ms&gt;" buckets for delayed enqueues (quorum TTL queues that dead-letter into "work").
/// </summary>
internal sealed class JobTopology(string prefix, int maxAttempts)
{
    /// <summary>Delay buckets are powers of two up to 2^32 ms (about 50 days); longer delays wait in the last one.</summary>
    public const int LastDelayBucket = 32;

    private readonly ConcurrentDictionary<string, bool> _declaredDelays = new(StringComparer.Ordinal);

    public string Work { get; } = $"{prefix}.work";

    public string Dead { get; } = $"{prefix}.dead";

    /// <summary>
    /// Deliveries allowed after the first before the broker dead-letters a job on its own: a job whose consumers keep
    /// dying is attempted MaxAttempts times even when no process lives to count.
    /// </summary>
    public int DeliveryLimit { get; } = maxAttempts - 1;

    /// <summary>The delay queue for the retry after failed attempt <paramref name="attempt"/>; one per attempt, so its messages' TTLs differ only by jitter.</summary>
    public string Retry(int attempt) => $"{prefix}.retry.{attempt}";

    public static int DelayBucket(long milliseconds) =>
        Math.Min(LastDelayBucket, 64 - (int)ulong.LeadingZeroCount((ulong)Math.Max(1, milliseconds) - 1));

    public string Delay(int bucket) => $"{prefix}.delay.{1L << bucket}ms";

    public IEnumerable<string> AllQueues() =>
        [Work, Dead, .. Enumerable.Range(1, maxAttempts - 1).Select(Retry), .. Enumerable.Range(0, LastDelayBucket + 1).Select(Delay)];

    public async Task DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await channel.QueueDeclareAsync(Dead, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = "classic" }, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(Work, durable: true, exclusive: false, autoDelete: false,
            QuorumDeadLettering(Dead, new() { ["x-delivery-limit"] = DeliveryLimit }), cancellationToken: cancellationToken);
        for (var attempt = 1; attempt < maxAttempts; attempt++)
        {
            await DeclareDelayQueueAsync(channel, Retry(attempt), cancellationToken);
        }
    }

    /// <summary>Declares a delay bucket the first time this process uses it.</summary>
    public async Task<string> DelayQueueAsync(IChannel channel, long milliseconds, CancellationToken cancellationToken)
    {
        var name = Delay(DelayBucket(milliseconds));
        if (!_declaredDelays.ContainsKey(name))
        {
            await DeclareDelayQueueAsync(channel, name, cancellationToken);
            _declaredDelays[name] = true;
        }

        return name;
    }

    /// <summary>Ready messages in a queue, or null when no process declared it; a missing queue closes the channel, so it gets its own.</summary>
    public static async Task<uint?> ReadyCountAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return null;
        }
    }

    private Task<QueueDeclareOk> DeclareDelayQueueAsync(IChannel channel, string name, CancellationToken cancellationToken) =>
        channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, QuorumDeadLettering(Work, []), cancellationToken: cancellationToken);

    /// <summary>
    /// Quorum queue arguments that dead-letter through the default exchange into <paramref name="target"/>, at least once:
    /// the broker keeps a message until the target confirmed it, which RabbitMQ allows only with reject-publish overflow.
    /// </summary>
    private static Dictionary<string, object?> QuorumDeadLettering(string target, Dictionary<string, object?> arguments)
    {
        arguments["x-queue-type"] = "quorum";
        arguments["x-dead-letter-exchange"] = "";
        arguments["x-dead-letter-routing-key"] = target;
        arguments["x-dead-letter-strategy"] = "at-least-once";
        arguments["x-overflow"] = "reject-publish";
        return arguments;
    }
}
