using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using LinkTracker.Core.Links;
using StackExchange.Redis;

namespace LinkTracker.Redis;

/// <summary>
/// Links in Redis strings under lt:link:&lt;tenant&gt;:&lt;code&gt; ("1|&lt;expiry ms or empty&gt;|&lt;disabled 0/1&gt;|&lt;destination&gt;",
/// "2|&lt;expiry&gt;|&lt;disabled&gt;|&lt;status&gt;|&lt;destination&gt;" for a learned link's other status, or "0" for a known miss), each code's generation under lt:link-gen:&lt;tenant&gt;:&lt;code&gt;. Invalidations go out on the
/// channel lt:link-invalidated as "&lt;tenant&gt;\n&lt;code&gt;\n&lt;id&gt;"; each node confirms one on lt:link-invalidated-ack
/// with the id, once it dropped its copy.
/// </summary>
/// <param name="redis">The connection.</param>
/// <param name="confirmationWait">How long an invalidation waits for the nodes' confirmations (default 2 s).</param>
public sealed class RedisSharedLinkCache(IConnectionMultiplexer redis, TimeSpan? confirmationWait = null) : ISharedLinkCache
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("lt:link-invalidated");
    private static readonly RedisChannel AckChannel = RedisChannel.Literal("lt:link-invalidated-ack");

    // A generation outlives any load that read it by far; it expires so that unchanged codes cost nothing.
    private static readonly TimeSpan GenerationLifetime = TimeSpan.FromDays(2);

    private const string SetIfGenerationScript = """
        if (redis.call('GET', KEYS[2]) or '0') == ARGV[1] then
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
          return 1
        end
        return 0
        """;

    private readonly TimeSpan _confirmationWait = confirmationWait ?? TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, InvalidationConfirmations> _waiting = new(StringComparer.Ordinal);
    private readonly Lock _ackGate = new();
    private Task? _ackSubscription;

    public async Task<SharedLinkRead> GetAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        var values = await redis.GetDatabase().StringGetAsync([Key(tenant, code), GenerationKey(tenant, code)]);
        var generation = values[1].IsNullOrEmpty ? 0 : (long)values[1];
        return new SharedLinkRead(values[0].IsNullOrEmpty ? null : Decode(values[0].ToString()), generation);
    }

    public async Task<bool> SetAsync(string tenant, string code, SharedLink link, long generation, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var stored = await redis.GetDatabase().ScriptEvaluateAsync(
            SetIfGenerationScript,
            [Key(tenant, code), GenerationKey(tenant, code)],
            [generation.ToString(CultureInfo.InvariantCulture), Encode(link), (long)timeToLive.TotalMilliseconds]);
        return (int)stored == 1;
    }

    public async Task<bool> InvalidateAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        await SubscribeToConfirmationsAsync();
        var id = Guid.NewGuid().ToString("N");
        var confirmations = new InvalidationConfirmations();
        _waiting[id] = confirmations;
        try
        {
            var transaction = redis.GetDatabase().CreateTransaction();
            _ = transaction.StringIncrementAsync(GenerationKey(tenant, code));
            _ = transaction.KeyExpireAsync(GenerationKey(tenant, code), GenerationLifetime);
            _ = transaction.KeyDeleteAsync(Key(tenant, code));
            await transaction.ExecuteAsync();
            var receivers = await redis.GetSubscriber().PublishAsync(Channel, $"{tenant}\n{code}\n{id}");
            return await confirmations.WaitAsync(receivers, _confirmationWait, cancellationToken);
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    public async Task SubscribeAsync(Action<string, string> onInvalidated, CancellationToken cancellationToken) =>
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
        {
            var parts = message.ToString().Split('\n', 3);
            if (parts.Length < 2 || parts[0].Length == 0)
            {
                return;
            }

            onInvalidated(parts[0], parts[1]);
            if (parts.Length == 3)
            {
                redis.GetSubscriber().Publish(AckChannel, parts[2], CommandFlags.FireAndForget);
            }
        });

    /// <summary>Only the subscription's connection counts: while it was down, broadcasts were missed.</summary>
    public void OnConnectionRestored(Action onRestored) => redis.ConnectionRestored += (_, e) =>
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            onRestored();
        }
    };

    public Task PingAsync(CancellationToken cancellationToken) => redis.GetSubscriber().PingAsync();

    /// <summary>Subscribes to confirmations once (again after a failed try).</summary>
    private Task SubscribeToConfirmationsAsync()
    {
        lock (_ackGate)
        {
            if (_ackSubscription is null || _ackSubscription.IsFaulted || _ackSubscription.IsCanceled)
            {
                _ackSubscription = redis.GetSubscriber().SubscribeAsync(AckChannel, (_, message) =>
                {
                    if (_waiting.TryGetValue(message.ToString(), out var confirmations))
                    {
                        confirmations.Confirm();
                    }
                });
            }

            return _ackSubscription;
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static RedisKey Key(string tenant, string code) => $"lt:link:{tenant}:{code}";

    private static RedisKey GenerationKey(string tenant, string code) => $"lt:link-gen:{tenant}:{code}";

    // "1|expires|disabled|destination" for a 302; "2|expires|disabled|status|destination" for another status (a learned
    // link), which an older node does not recognise and so reads from the store instead of answering with a 302;
    // "3|expires|disabled|status|maxVisits|version|destination" for a link with a visit limit (ADR 25), likewise.
    // "4|<json>" for a link with redirect rules, likewise.
    private static string Encode(SharedLink link) => !link.Exists
        ? "0"
        : link.Rules is not null
            ? "4|" + JsonSerializer.Serialize(link, Json)
        : link.MaxVisits is { } max
            ? string.Create(CultureInfo.InvariantCulture,
                $"3|{link.ExpiresAt?.ToUnixTimeMilliseconds()}|{(link.Disabled ? 1 : 0)}|{link.Status}|{max}|{link.Version}|{link.Destination}")
        : link.Status == SharedLink.DefaultStatus
            ? string.Create(CultureInfo.InvariantCulture, $"1|{link.ExpiresAt?.ToUnixTimeMilliseconds()}|{(link.Disabled ? 1 : 0)}|{link.Destination}")
            : string.Create(CultureInfo.InvariantCulture, $"2|{link.ExpiresAt?.ToUnixTimeMilliseconds()}|{(link.Disabled ? 1 : 0)}|{link.Status}|{link.Destination}");

    private static SharedLink? Decode(string value)
    {
        if (value == "0")
        {
            return SharedLink.Missing;
        }

        if (value.StartsWith("4|", StringComparison.Ordinal))
        {
            try
            {
                return JsonSerializer.Deserialize<SharedLink>(value.AsSpan(2), Json);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        var limited = value.StartsWith("3|", StringComparison.Ordinal);
        var withStatus = limited || value.StartsWith("2|", StringComparison.Ordinal);
        var count = limited ? 7 : withStatus ? 5 : 4;
        var parts = value.Split('|', count);
        if (parts.Length != count || parts[0] is not ("1" or "2" or "3"))
        {
            return null; // Not ours or from another version: treat as unknown, the store answers.
        }

        long? maxVisits = null;
        long version = 0;
        if (limited)
        {
            if (!long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var max)
                || !long.TryParse(parts[5], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out version))
            {
                return null;
            }

            maxVisits = max;
        }

        var status = SharedLink.DefaultStatus;
        if (withStatus && (!int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out status) || SharedLink.StatusOf(status) != status))
        {
            return null;
        }

        DateTimeOffset? expiresAt = parts[1].Length == 0
            ? null
            : DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture));
        return new SharedLink(true, parts[^1], expiresAt, parts[2] == "1", status, maxVisits, version);
    }
}
