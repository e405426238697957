using System.Security.Cryptography;
using LinkTracker.Core.Clicks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace LinkTracker.RabbitMq.Clicks;

/// <summary>
/// Click messages no writer could read (<see cref="ClickQueues.Dead"/>), for an operator: listed, sent back to their
/// tenant's queue (once the writers read them, e.g. after an upgrade) or purged.
/// </summary>
/// <remarks>
/// A pass rotates the queue: each message there at its start is taken, published again (confirmed) to the back of the
/// dead queue or, when redriven, to its tenant's queue, and only then acknowledged; a full pass leaves the others in
/// their order. Not basic.get and a requeue as for jobs: this is a quorum queue, and RabbitMQ 4.0 to 4.2 count every
/// requeue against its default delivery limit (20), past which the broker drops a message for good. A failure
/// mid-pass closes the channel, which gives back the message in hand; a process killed between the publish and the
/// ack leaves a message twice, never nowhere. One pass at a time per process; passes of two processes interleave.
/// </remarks>
public sealed class ClickDeadLetters(ConnectionFactory factory, ClickQueues queues) : IDisposable
{
    private const int FirstBytesShown = 16;
    private static readonly CreateChannelOptions Confirms = new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Whether <paramref name="exception"/> means the broker could not be reached or refused the operation.</summary>
    public static bool IsBrokerFailure(Exception exception) => exception is RabbitMQClientException or BrokerUnreachableException;

    /// <returns>How many dead letters there are, and the first <paramref name="limit"/> of them, oldest first.</returns>
    public async Task<(int Total, IReadOnlyList<DeadClickMessage> Items)> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var items = new List<DeadClickMessage>();
        var total = await PassAsync(message =>
        {
            if (items.Count < limit)
            {
                items.Add(message);
            }

            return false;
        }, cancellationToken);
        return (total, items);
    }

    public async Task<DeadClickMessage?> GetAsync(string id, CancellationToken cancellationToken)
    {
        DeadClickMessage? found = null;
        await PassAsync(message =>
        {
            found ??= message.Id == id ? message : null;
            return false;
        }, cancellationToken);
        return found;
    }

    /// <summary>Sends the dead letters with <paramref name="id"/> (every one when null) back to their tenants' queues.</summary>
    /// <returns>Redriven; kept (matched, but nothing tells their tenant, so they stay here).</returns>
    public async Task<(int Redriven, int Kept)> RedriveAsync(string? id, CancellationToken cancellationToken)
    {
        var (redriven, kept) = (0, 0);
        await PassAsync(message =>
        {
            if (id is not null && message.Id != id)
            {
                return false;
            }

            if (message.Tenant is null)
            {
                kept++;
                return false;
            }

            redriven++;
            return true;
        }, cancellationToken);
        return (redriven, kept);
    }

    /// <returns>How many dead letters were deleted.</returns>
    public Task<uint> PurgeAsync(CancellationToken cancellationToken) =>
        UseAsync(channel => channel.QueuePurgeAsync(queues.Dead, cancellationToken), cancellationToken);

    public void Dispose() => _gate.Dispose();

    /// <summary>One rotation of the messages present at the start; <paramref name="redrive"/> says which go to their tenant's queue.</summary>
    /// <returns>How many messages the pass went through.</returns>
    private Task<int> PassAsync(Func<DeadClickMessage, bool> redrive, CancellationToken cancellationToken) =>
        UseAsync(async channel =>
        {
            var declared = new HashSet<string>(StringComparer.Ordinal);
            uint? present = null;
            var position = 0;
            for (; present is null || position < present; position++)
            {
                if (await channel.BasicGetAsync(queues.Dead, autoAck: false, cancellationToken) is not { } got)
                {
                    break;
                }

                present ??= got.MessageCount + 1;
                var body = got.Body.ToArray();
                var message = Describe(got.BasicProperties, body, position);
                var properties = new BasicProperties(got.BasicProperties)
                {
                    Headers = new Dictionary<string, object?>(got.BasicProperties.Headers ?? new Dictionary<string, object?>()),
                };
                if (message.Tenant is { } tenant)
                {
                    properties.Headers[DeadClickHeaders.OriginTenant] = tenant;
                }

                var target = redrive(message) ? queues.For(message.Tenant!) : queues.Dead;
                if (target != queues.Dead && declared.Add(target))
                {
                    await channel.QueueDeclareAsync(target, durable: true, exclusive: false, autoDelete: false, queues.TenantQueueArguments(), cancellationToken: cancellationToken);
                }

                // The message is in hand: finish with it whatever the caller's token says (a failure gives it back).
                await channel.BasicPublishAsync(string.Empty, target, mandatory: true, properties, body, CancellationToken.None);
                await channel.BasicAckAsync(got.DeliveryTag, multiple: false, CancellationToken.None);
            }

            return position;
        }, cancellationToken);

    private DeadClickMessage Describe(IReadOnlyBasicProperties properties, byte[] body, int position)
    {
        var headers = properties.Headers;
        var origin = DeadClickHeaders.Text(headers, DeadClickHeaders.OriginTenant) ?? queues.TenantOf(DeadClickHeaders.OriginQueue(headers));
        int? clicks = null;
        string? problem;
        try
        {
            var (tenant, decoded) = ClickCodec.Decode(body);
            clicks = decoded.Length;
            origin ??= tenant;
            problem = tenant == origin ? null : $"It carries tenant {tenant}'s clicks but came from tenant {origin}'s queue.";
        }
        catch (Exception e) when (e is InvalidDataException or UnknownClickFormatException)
        {
            problem = e.Message;
        }

        if (properties.ContentType != ClickQueues.ContentType)
        {
            problem = $"Not published by a LinkTracker edge (content type {properties.ContentType ?? "none"}). {problem}".TrimEnd();
        }

        return new DeadClickMessage(
            properties.MessageId ?? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body))[..16],
            position,
            origin,
            DeadClickHeaders.Reason(headers),
            DeadClickHeaders.Deaths(headers),
            DeadClickHeaders.DiedAt(headers),
            body.Length,
            Convert.ToHexStringLower(body.AsSpan(0, Math.Min(body.Length, FirstBytesShown))),
            body.Length > 0 ? body[0] : null,
            clicks,
            problem);
    }

    /// <summary>A connection and channel of its own per call: rarely used, never left holding a message.</summary>
    private async Task<T> UseAsync<T>(Func<IChannel, Task<T>> use, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await factory.CreateConnectionAsync("linktracker-dead-clicks", cancellationToken);
            await using var channel = await connection.CreateChannelAsync(Confirms, cancellationToken);
            await channel.QueueDeclareAsync(queues.Dead, durable: true, exclusive: false, autoDelete: false, ClickQueues.DeadQueueArguments(), cancellationToken: cancellationToken);
            return await use(channel);
        }
        finally
        {
            _gate.Release();
        }
    }
}
