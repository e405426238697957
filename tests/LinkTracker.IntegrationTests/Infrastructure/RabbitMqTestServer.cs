using RabbitMQ.Client;

namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>The RabbitMQ broker that scripts/services.sh started (LINKTRACKER_TEST_RABBITMQ, an amqp:// URI).</summary>
public static class RabbitMqTestServer
{
    private const string Variable = "LINKTRACKER_TEST_RABBITMQ";

    public static Uri Uri =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? new Uri(value)
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run the tests through scripts/test.sh, or start the servers with scripts/services.sh and source the env file it prints.");

    /// <summary>A connection of its own, as a separate node would have.</summary>
    public static Task<IConnection> ConnectAsync() => new ConnectionFactory { Uri = Uri }.CreateConnectionAsync();

    /// <summary>A name no other test uses, for queues and exchanges, so test classes can run in parallel on one broker.</summary>
    public static string UniqueName(string prefix) => $"{prefix}.{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
