using LinkTracker.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Redis;
using LinkTracker.Runbook;
using LinkTracker.Runbook.Slow;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LinkTracker.IntegrationTests.Doctor;

/// <summary>
/// The doctor's evidence on the distributed deployment: a worker's slow writer transactions and an edge's unknown
/// codes reach an api node's slow log and tenant activity through a real Redis, each node with a connection of its own.
/// </summary>
public sealed class RunbookFleetTests : IAsyncLifetime
{
    private readonly string _prefix = "rb" + Guid.NewGuid().ToString("N")[..10];
    private readonly List<Node> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task What_a_worker_and_an_edge_record_is_seen_by_the_api_node_and_counted_once_everywhere()
    {
        var api = await StartAsync(_prefix);
        var worker = await StartAsync(_prefix);
        var edge = await StartAsync(_prefix);

        Assert.True(worker.SlowLog.Record("acme", SlowOperationKind.Writer, TimeSpan.FromSeconds(2), 1000, "batch=1000"));
        Assert.False(worker.SlowLog.Record("acme", SlowOperationKind.Writer, TimeSpan.FromMilliseconds(1), 10, "fast")); // under the threshold: nowhere
        worker.Activity.Add("acme", TenantActivityKind.WriterMilliseconds, 2000);
        edge.Activity.Add("acme", TenantActivityKind.UnknownCodes, 3);
        edge.Activity.Add("acme", TenantActivityKind.UnknownCodes, 4);
        api.Activity.Add("acme", TenantActivityKind.StatsQueries);

        await WaitUntilAsync(() => api.SlowLog.Recent("acme").Count == 1
            && api.Activity.Sum("acme", TenantActivityKind.UnknownCodes) == 7
            && worker.Activity.Sum("acme", TenantActivityKind.StatsQueries) == 1
            && edge.Activity.Sum("acme", TenantActivityKind.WriterMilliseconds) == 2000);

        var slow = Assert.Single(api.SlowLog.Recent("acme"));
        Assert.Equal((SlowOperationKind.Writer, 2000d, 1000L, "batch=1000"), (slow.Kind, slow.DurationMs, slow.RowsRead, slow.Shape));
        foreach (var node in (Node[])[api, worker, edge])
        {
            Assert.Single(node.SlowLog.Recent("acme"));
            Assert.Equal(2000, node.Activity.Sum("acme", TenantActivityKind.WriterMilliseconds));
            Assert.Equal(7, node.Activity.Sum("acme", TenantActivityKind.UnknownCodes));
            Assert.Equal(1, node.Activity.Sum("acme", TenantActivityKind.StatsQueries));
        }
    }

    [Fact]
    public async Task Another_deployment_on_the_same_redis_is_not_heard()
    {
        var ours = await StartAsync(_prefix);
        var theirs = await StartAsync(_prefix + "x");
        var oursToo = await StartAsync(_prefix);

        theirs.Activity.Add("acme", TenantActivityKind.UnknownCodes, 5);
        oursToo.Activity.Add("acme", TenantActivityKind.UnknownCodes, 1);

        await WaitUntilAsync(() => ours.Activity.Sum("acme", TenantActivityKind.UnknownCodes) == 1);
        Assert.Equal(1, ours.Activity.Sum("acme", TenantActivityKind.UnknownCodes));
        Assert.Equal(5, theirs.Activity.Sum("acme", TenantActivityKind.UnknownCodes));
    }

    [Fact]
    public async Task A_message_that_is_not_ours_is_ignored()
    {
        var node = await StartAsync(_prefix);

        node.Fleet.Receive("not json");
        node.Fleet.Receive("""{"node":"other","slow":[{"tenant":"acme","kind":99,"at":"2026-12-06T00:00:00Z","durationMs":1,"rowsRead":1,"shape":"x"}],"activity":[{"tenant":"acme","kind":42,"amount":1}]}""");

        Assert.Empty(node.SlowLog.Recent());
        Assert.Empty(node.Activity.ByTenant(TenantActivityKind.UnknownCodes));
    }

    private async Task<Node> StartAsync(string prefix)
    {
        var redis = await RedisTestServer.ConnectAsync();
        var slowLog = new SlowLog(Options.Create(new SlowLogOptions()), TimeProvider.System);
        var activity = new TenantActivity(TimeProvider.System);
        var fleet = new RunbookFleet(new RedisRunbookFeed(redis, prefix), slowLog, activity, new NodeIdentity(), TimeProvider.System, NullLogger<RunbookFleet>.Instance);
        var node = new Node(redis, slowLog, activity, fleet);
        _nodes.Add(node);
        await fleet.StartAsync(default);
        await fleet.Subscribed.WaitAsync(TimeSpan.FromSeconds(15));
        return node;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 15 s");
            await Task.Delay(50);
        }
    }

    private sealed record Node(ConnectionMultiplexer Redis, SlowLog SlowLog, TenantActivity Activity, RunbookFleet Fleet) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Fleet.StopAsync(default);
            Fleet.Dispose();
            await Redis.DisposeAsync();
        }
    }
}
