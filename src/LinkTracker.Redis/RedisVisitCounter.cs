using LinkTracker.Core.Links;
using StackExchange.Redis;

namespace LinkTracker.Redis;

/// <summary>
/// Visit limits in the distributed deployment: one script per visit of a limited link, under
/// lt:visits:&lt;tenant&gt;:&lt;code&gt;:&lt;version&gt;. Redis runs a script alone, so the count is exact across nodes and
/// never passes the limit. Kept until a day after the link's expiry (no expiry: kept), so a count is never reset early.
/// When Redis does not answer, the call throws and the redirect fails closed (ADR 25).
/// </summary>
public sealed class RedisVisitCounter(IConnectionMultiplexer redis) : IVisitCounter
{
    private const string Script = """
        local n = tonumber(redis.call('GET', KEYS[1]) or '0')
        if n >= tonumber(ARGV[1]) then return 0 end
        redis.call('INCR', KEYS[1])
        if ARGV[2] ~= '' then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
        return 1
        """;

    public async Task<bool> TryVisitAsync(VisitKey key, long maxVisits, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        var keepUntil = expiresAt is { } at ? (RedisValue)at.AddDays(1).ToUnixTimeMilliseconds() : RedisValue.EmptyString;
        var counted = await redis.GetDatabase().ScriptEvaluateAsync(
            Script, [(RedisKey)$"lt:visits:{key.Tenant}:{key.Code}:{key.Version}"], [maxVisits, keepUntil]);
        return (long)counted == 1;
    }
}
