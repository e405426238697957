using StackExchange.Redis;

namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>The Redis that scripts/services.sh started (LINKTRACKER_TEST_REDIS).</summary>
public static class RedisTestServer
{
    private const string Variable = "LINKTRACKER_TEST_REDIS";

    public static string Configuration =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run the tests through scripts/test.sh, or start the servers with scripts/services.sh and source the env file it prints.");

    /// <summary>A connection of its own, as a separate node would have.</summary>
    public static Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(Configuration);
}
