using LinkTracker.Core.Links;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Redis;
using StackExchange.Redis;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>The distributed deployment's counter on the shared test Redis; a restart is a new connection (another node).</summary>
public sealed class RedisVisitCounterModelTests : VisitCounterModelTests, IDisposable
{
    private readonly List<ConnectionMultiplexer> _connections = [];

    protected override string Tenant { get; } = "vc" + Guid.NewGuid().ToString("N")[..12];

    protected override async Task<IVisitCounter> StartAsync()
    {
        var connection = await RedisTestServer.ConnectAsync();
        _connections.Add(connection);
        return new RedisVisitCounter(connection);
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }
}
