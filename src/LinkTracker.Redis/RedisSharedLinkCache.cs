using System.Globalization;
using LinkTracker.Core.Links;
using StackExchange.Redis;

namespace LinkTracker.Redis;

/// <summary>
/// Links in Redis strings under lt:link:&lt;tenant&gt;:&lt;code&gt; ("1|&lt;expiry ms or empty&gt;|&lt;disabled 0/1&gt;|&lt;destination&gt;",
/// or "0" for a known miss); invalidations go out on the channel lt:link-invalidated as "&lt;tenant&gt;\n&lt;code&gt;".
/// </summary>
public sealed class RedisSharedLinkCache(IConnectionMultiplexer redis) : ISharedLinkCache
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("lt:link-invalidated");

    public async Task<SharedLink?> GetAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(tenant, code));
        return value.IsNullOrEmpty ? null : Decode(value.ToString());
    }

    public Task SetAsync(string tenant, string code, SharedLink link, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(Key(tenant, code), Encode(link), timeToLive);

    public async Task InvalidateAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        await database.KeyDeleteAsync(Key(tenant, code));
        await database.PublishAsync(Channel, tenant + "\n" + code);
        // Once more: a node that read the old version before the change may have written it back meanwhile.
        await database.KeyDeleteAsync(Key(tenant, code));
    }

    public async Task SubscribeAsync(Action<string, string> onInvalidated, CancellationToken cancellationToken) =>
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
        {
            var text = message.ToString();
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            if (newline > 0)
            {
                onInvalidated(text[..newline], text[(newline + 1)..]);
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

    private static RedisKey Key(string tenant, string code) => $"lt:link:{tenant}:{code}";

    // "1|expires|disabled|destination" for a 302; "2|expires|disabled|status|destination" for another status (a learned
    // link), which an older node does not recognise and so reads from the store instead of answering with a 302.
    private static string Encode(SharedLink link) => !link.Exists
        ? "0"
        : link.Status == SharedLink.DefaultStatus
            ? string.Create(CultureInfo.InvariantCulture, $"1|{link.ExpiresAt?.ToUnixTimeMilliseconds()}|{(link.Disabled ? 1 : 0)}|{link.Destination}")
            : string.Create(CultureInfo.InvariantCulture, $"2|{link.ExpiresAt?.ToUnixTimeMilliseconds()}|{(link.Disabled ? 1 : 0)}|{link.Status}|{link.Destination}");

    private static SharedLink? Decode(string value)
    {
        if (value == "0")
        {
            return SharedLink.Missing;
        }

        var withStatus = value.StartsWith("2|", StringComparison.Ordinal);
        var parts = value.Split('|', withStatus ? 5 : 4);
        if (parts.Length != (withStatus ? 5 : 4) || parts[0] is not ("1" or "2"))
        {
            return null; // Not ours or from another version: treat as unknown, the store answers.
        }

        var status = SharedLink.DefaultStatus;
        if (withStatus && (!int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out status) || SharedLink.StatusOf(status) != status))
        {
            return null;
        }

        DateTimeOffset? expiresAt = parts[1].Length == 0
            ? null
            : DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture));
        return new SharedLink(true, parts[^1], expiresAt, parts[2] == "1", status);
    }
}
