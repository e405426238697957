using LinkTracker.Core.Jobs;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.RabbitMq.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>
/// The job queue contract on the test broker. Every queue gets its own prefix, so tests run in parallel on one broker,
/// and its queues are deleted at the end. A crash aborts the queue's connection without a word, as the OS does when
/// a process is killed: the broker sees the same closed socket.
/// </summary>
public sealed class RabbitMqJobQueueTests : JobQueueContract, IAsyncLifetime
{
    private readonly List<(RabbitMqJobQueue Queue, IConnection Connection)> _opened = [];
    private readonly Dictionary<IJobQueue, (string Prefix, IConnection Connection)> _byQueue = [];
    private readonly Dictionary<string, JobQueueOptions> _prefixes = [];

    protected override bool EnqueueIsOncePerId => false;

    protected override bool ListsEveryWaitingJob => false;

    protected override bool TenantsTakeTurnsAcrossTheBacklog => false;

    protected override TimeSpan CountsSettleWithin => TimeSpan.FromSeconds(2);

    protected override Task<IJobQueue> CreateAsync(JobQueueOptions options) => OpenAsync(RabbitMqTestServer.UniqueName("lt-jobs"), options);

    protected override async Task<IJobQueue> ReopenAfterCrashAsync(IJobQueue crashed, JobQueueOptions options)
    {
        var (prefix, connection) = _byQueue[crashed];
        await connection.AbortAsync();
        await ((RabbitMqJobQueue)crashed).DisposeAsync();
        return await OpenAsync(prefix, options);
    }

    [Fact]
    public async Task Tenants_take_turns_among_the_deliveries_a_consumer_holds()
    {
        var queue = await OpenAsync(RabbitMqTestServer.UniqueName("lt-jobs"), Fast);
        using (var idle = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            Assert.Null(await queue.ReceiveAsync(TimeSpan.FromSeconds(30), idle.Token)); // the consumer is now subscribed
        }

        await queue.EnqueueManyAsync([.. Enumerable.Range(0, 5).Select(i => new JobRequest("report", "big", $"{i}")), new JobRequest("report", "small", "s")], null, CancellationToken.None);
        await Task.Delay(300); // all six reach the consumer's prefetch window

        var first = await queue.ReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        var second = await queue.ReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal([("big", "0"), ("small", "s")], [(first!.Tenant, first.Payload), (second!.Tenant, second.Payload)]);
    }

    [Fact]
    public async Task A_duplicate_job_id_is_delivered_twice()
    {
        var queue = await OpenAsync(RabbitMqTestServer.UniqueName("lt-jobs"), Fast);
        var request = new JobRequest("report", "acme", "{}", "report:acme:2026-03-01");
        await queue.EnqueueAsync(request, null, CancellationToken.None);
        await queue.EnqueueAsync(request, null, CancellationToken.None);

        var first = await queue.ReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        var second = await queue.ReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(["report:acme:2026-03-01", "report:acme:2026-03-01"], [first!.Id, second!.Id]);
        Assert.Equal(new JobQueueCounts(0, 2, 0), await queue.CountAsync(CancellationToken.None));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (queue, connection) in _opened)
        {
            await queue.DisposeAsync();
            await connection.DisposeAsync();
        }

        await using var cleanup = await RabbitMqTestServer.ConnectAsync();
        foreach (var (prefix, options) in _prefixes)
        {
            await using var queue = new RabbitMqJobQueue(cleanup, prefix, options, TimeProvider.System, NullLogger<RabbitMqJobQueue>.Instance);
            await queue.DeleteQueuesAsync(CancellationToken.None);
        }
    }

    private async Task<IJobQueue> OpenAsync(string prefix, JobQueueOptions options)
    {
        var connection = await RabbitMqTestServer.ConnectAsync();
        var queue = new RabbitMqJobQueue(connection, prefix, options, TimeProvider.System, NullLogger<RabbitMqJobQueue>.Instance);
        _opened.Add((queue, connection));
        _byQueue[queue] = (prefix, connection);
        _prefixes[prefix] = options;
        await queue.MigrateAsync(CancellationToken.None);
        return queue;
    }
}
