using System.Text;
using RabbitMQ.Client;

namespace LinkTracker.RabbitMq.Jobs;

/// <summary>
/// A job as it travels through the broker: the payload is the body, the rest is properties and headers. Every republish
/// (retry, dead letter, redrive) writes fresh headers, so the broker's per-queue counters never leak from one queue to the next.
/// </summary>
internal sealed record JobMessage(
    string Id,
    string Type,
    string? Tenant,
    string Payload,
    int AttemptsBefore,
    DateTimeOffset EnqueuedAt,
    DateTimeOffset DueAt,
    string? LastError,
    DateTimeOffset? DiedAt)
{
    private const string TenantHeader = "lt-tenant";
    private const string AttemptsHeader = "lt-attempts";
    private const string EnqueuedAtHeader = "lt-enqueued-at";
    private const string DueAtHeader = "lt-due-at";
    private const string LastErrorHeader = "lt-last-error";
    private const string DiedAtHeader = "lt-died-at";

    /// <summary>Redeliveries by the queue that delivered this copy (quorum queues count every return: nack, lease end, lost consumer).</summary>
    public int DeliveryCount { get; private init; }

    /// <summary>Why the broker itself last dead-lettered this copy ("expired", "delivery_limit"), from x-death.</summary>
    public string? BrokerDeathReason { get; private init; }

    /// <summary>When the broker itself last dead-lettered this copy, from x-death (to the second).</summary>
    public DateTimeOffset? BrokerDeathTime { get; private init; }

    public static JobMessage Read(IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        var headers = properties.Headers;
        var enqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(Number(headers, EnqueuedAtHeader) ?? 0);
        return new JobMessage(
            properties.MessageId ?? "",
            properties.Type ?? "",
            Text(headers, TenantHeader),
            Encoding.UTF8.GetString(body.Span),
            (int)(Number(headers, AttemptsHeader) ?? 0),
            enqueuedAt,
            Number(headers, DueAtHeader) is { } due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : enqueuedAt,
            Text(headers, LastErrorHeader),
            Number(headers, DiedAtHeader) is { } died ? DateTimeOffset.FromUnixTimeMilliseconds(died) : null)
        {
            DeliveryCount = (int)(Number(headers, "x-delivery-count") ?? 0),
            BrokerDeathReason = AsText(LatestDeath(headers, "reason")),
            BrokerDeathTime = LatestDeath(headers, "time") is AmqpTimestamp time ? DateTimeOffset.FromUnixTimeSeconds(time.UnixTime) : null,
        };
    }

    public ReadOnlyMemory<byte> Body() => Encoding.UTF8.GetBytes(Payload);

    /// <summary>Persistent properties for a publish; <paramref name="expiration"/> is the per-message TTL in a delay queue.</summary>
    public BasicProperties Properties(TimeSpan? expiration)
    {
        var headers = new Dictionary<string, object?>
        {
            [AttemptsHeader] = AttemptsBefore,
            [EnqueuedAtHeader] = EnqueuedAt.ToUnixTimeMilliseconds(),
            [DueAtHeader] = DueAt.ToUnixTimeMilliseconds(),
        };
        Put(headers, TenantHeader, Tenant);
        Put(headers, LastErrorHeader, LastError);
        if (DiedAt is { } died)
        {
            headers[DiedAtHeader] = died.ToUnixTimeMilliseconds();
        }

        return new BasicProperties
        {
            MessageId = Id,
            Type = Type,
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            Timestamp = new AmqpTimestamp(EnqueuedAt.ToUnixTimeSeconds()),
            Expiration = expiration is { } ttl ? Math.Max(1, (long)Math.Ceiling(ttl.TotalMilliseconds)).ToString() : null,
            Headers = headers,
        };
    }

    private static void Put(Dictionary<string, object?> headers, string name, string? value)
    {
        if (value is not null)
        {
            headers[name] = value;
        }
    }

    private static string? Text(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? AsText(value) : null;

    private static string? AsText(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => null,
    };

    private static long? Number(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) && value is IConvertible number and not string
            ? Convert.ToInt64(number, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    /// <summary>x-death lists the broker's dead-letterings of this message, latest first.</summary>
    private static object? LatestDeath(IDictionary<string, object?>? headers, string field) =>
        headers is not null && headers.TryGetValue("x-death", out var deaths) && deaths is IList<object?> { Count: > 0 } list
            && list[0] is IDictionary<string, object?> latest && latest.TryGetValue(field, out var value)
            ? value
            : null;
}
