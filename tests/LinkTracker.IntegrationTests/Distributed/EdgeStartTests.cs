using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Distributed;

public sealed class EdgeStartTests : IDisposable
{
    private readonly TempFolder _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task An_edge_whose_api_nodes_are_down_starts_not_ready_and_says_why_without_stack_traces()
    {
        using var edge = await ServiceProcess.StartAsync(
            _data.Path,
            waitUntilReady: false,
            "Node:Roles=edge",
            $"RabbitMq:Uri={RabbitMqTestServer.Uri}",
            $"Redis:Configuration={RedisTestServer.Configuration}",
            "Internal:ApiUrls=http://127.0.0.1:9",
            "Internal:Token=0123456789abcdef0123456789abcdef");
        using var client = Clients.For(edge.Address, "localhost");

        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("The tenant list could not be loaded at start: api not reachable yet", edge.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", edge.Output, StringComparison.Ordinal); // no stack trace
    }
}
