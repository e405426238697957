using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace LinkTracker.RabbitMq.Clicks;

/// <summary>What a dead click message's headers tell: the broker's x-death entries (latest first) and our own origin.</summary>
internal static class DeadClickHeaders
{
    /// <summary>The tenant of origin, written on each copy a browse makes, so it does not hang on x-death alone.</summary>
    public const string OriginTenant = "lt-origin-tenant";

    public static string? Text(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? AsText(value) : null;

    /// <summary>The queue the message was first dead-lettered from.</summary>
    public static string? OriginQueue(IDictionary<string, object?>? headers) =>
        Text(headers, "x-first-death-queue") ?? AsText(Latest(headers, "queue"));

    public static string? Reason(IDictionary<string, object?>? headers) =>
        AsText(Latest(headers, "reason")) ?? Text(headers, "x-first-death-reason");

    public static DateTimeOffset? DiedAt(IDictionary<string, object?>? headers) =>
        Latest(headers, "time") is AmqpTimestamp time ? DateTimeOffset.FromUnixTimeSeconds(time.UnixTime) : null;

    /// <summary>Dead-letterings counted by the broker, over every queue and reason.</summary>
    public static long Deaths(IDictionary<string, object?>? headers) =>
        headers is not null && headers.TryGetValue("x-death", out var deaths) && deaths is IList<object?> list
            ? list.OfType<IDictionary<string, object?>>().Sum(d => d.TryGetValue("count", out var count) && count is IConvertible n and not string ? Convert.ToInt64(n, CultureInfo.InvariantCulture) : 1)
            : 0;

    private static object? Latest(IDictionary<string, object?>? headers, string field) =>
        headers is not null && headers.TryGetValue("x-death", out var deaths) && deaths is IList<object?> { Count: > 0 } list
            && list[0] is IDictionary<string, object?> latest && latest.TryGetValue(field, out var value)
            ? value
            : null;

    private static string? AsText(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => null,
    };
}
