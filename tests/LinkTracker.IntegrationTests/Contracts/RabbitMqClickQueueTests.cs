using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.RabbitMq.Clicks;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace LinkTracker.IntegrationTests.Contracts;

/// <summary>The edge's publisher and the writer's inbox on the test broker, each test with queues of its own.</summary>
public sealed class RabbitMqClickQueueTests : IAsyncLifetime
{
    private readonly ClickQueues _queues = new(RabbitMqTestServer.UniqueName("t"));
    private readonly ConnectionFactory _factory = new() { Uri = RabbitMqTestServer.Uri, AutomaticRecoveryEnabled = false };
    private readonly List<IAsyncDisposable> _disposables = [];
    private RabbitMqClickPublisher _publisher = null!;

    public Task InitializeAsync()
    {
        _publisher = Track(new RabbitMqClickPublisher(_factory, _queues));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        await using var connection = await RabbitMqTestServer.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in new[] { _queues.For("acme"), _queues.For("globex"), _queues.Dead })
        {
            await channel.QueueDeleteAsync(queue);
        }
    }

    [Fact]
    public async Task Published_clicks_arrive_per_tenant_and_acknowledged_ones_are_gone_for_every_writer()
    {
        var acme = Clicks("acme", 3);
        var globex = Clicks("globex", 2);
        await _publisher.PublishAsync("acme", acme, CancellationToken.None);
        await _publisher.PublishAsync("globex", globex, CancellationToken.None);

        var inbox = await StartInboxAsync("acme", "globex");
        await WaitForAsync(inbox, ["acme", "globex"]);

        var batch = (await inbox.TakeAsync("acme", 100, CancellationToken.None))!;
        Assert.Equal(acme, batch.Clicks);
        await batch.AcknowledgeAsync(CancellationToken.None);
        Assert.Equal(["globex"], inbox.TenantsWithWork());
        await inbox.DisposeAsync();

        // Another writer gets only what was not acknowledged.
        var next = await StartInboxAsync("acme", "globex");
        await WaitForAsync(next, ["globex"]);
        Assert.Equal(globex, (await next.TakeAsync("globex", 100, CancellationToken.None))!.Clicks);
        Assert.Equal(0u, await MessageCountAsync(_queues.For("acme")));
    }

    [Fact]
    public async Task Clicks_taken_but_not_acknowledged_come_back_to_the_next_writer_when_the_first_one_dies()
    {
        var clicks = Clicks("acme", 5);
        await _publisher.PublishAsync("acme", clicks, CancellationToken.None);
        var first = await StartInboxAsync("acme");
        await WaitForAsync(first, ["acme"]);
        Assert.NotNull(await first.TakeAsync("acme", 100, CancellationToken.None));

        await first.DisposeAsync(); // its connection closes without an ack, as when the process is killed

        var second = await StartInboxAsync("acme");
        await WaitForAsync(second, ["acme"]);
        Assert.Equal(clicks, (await second.TakeAsync("acme", 100, CancellationToken.None))!.Clicks);
    }

    [Fact]
    public async Task Taking_again_before_the_ack_returns_the_same_clicks_and_a_batch_joins_messages_up_to_the_maximum()
    {
        var one = Clicks("acme", 4);
        var two = Clicks("acme", 4);
        var three = Clicks("acme", 4);
        foreach (var clicks in new[] { one, two, three })
        {
            await _publisher.PublishAsync("acme", clicks, CancellationToken.None);
        }

        var inbox = await StartInboxAsync("acme");
        await WaitUntilAsync(async () => await CountAsync(inbox, "acme") == 12);

        var first = (await inbox.TakeAsync("acme", 9, CancellationToken.None))!;
        Assert.Equal([.. one, .. two, three[0]], first.Clicks);
        Assert.Equal(first.Clicks, (await inbox.TakeAsync("acme", 9, CancellationToken.None))!.Clicks);
        await first.AcknowledgeAsync(CancellationToken.None);
        Assert.Equal(three[1..], (await inbox.TakeAsync("acme", 9, CancellationToken.None))!.Clicks);
        Assert.Equal(three[1].At, await inbox.OldestWaitingAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_message_larger_than_a_batch_is_written_in_parts_and_acknowledged_to_the_broker_only_with_its_last_part()
    {
        var clicks = Clicks("acme", 10);
        await _publisher.PublishAsync("acme", clicks, CancellationToken.None);
        var first = await StartInboxAsync("acme");
        await WaitForAsync(first, ["acme"]);

        var part = (await first.TakeAsync("acme", 4, CancellationToken.None))!;
        Assert.Equal(clicks[..4], part.Clicks);
        await part.AcknowledgeAsync(CancellationToken.None);
        Assert.Equal(clicks[4..8], (await first.TakeAsync("acme", 4, CancellationToken.None))!.Clicks);
        await first.DisposeAsync(); // dies before the last part: the broker still has the whole message

        var second = await StartInboxAsync("acme");
        await WaitForAsync(second, ["acme"]);
        var parts = new List<Click>();
        while (await second.TakeAsync("acme", 4, CancellationToken.None) is { } batch)
        {
            Assert.True(batch.Clicks.Count <= 4);
            parts.AddRange(batch.Clicks);
            await batch.AcknowledgeAsync(CancellationToken.None);
        }

        Assert.Equal(clicks, parts);
        await WaitUntilAsync(async () => await MessageCountAsync(_queues.For("acme")) == 0);
    }

    [Fact]
    public async Task An_unreadable_message_goes_to_the_dead_queue_and_the_clicks_behind_it_still_arrive()
    {
        var clicks = Clicks("acme", 2);
        await _publisher.PublishAsync("acme", Clicks("acme", 1), CancellationToken.None); // declares the queue
        var inbox0 = await StartInboxAsync("acme");
        await WaitForAsync(inbox0, ["acme"]);
        await (await inbox0.TakeAsync("acme", 10, CancellationToken.None))!.AcknowledgeAsync(CancellationToken.None);
        await inbox0.DisposeAsync();

        await using (var connection = await RabbitMqTestServer.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.BasicPublishAsync(string.Empty, _queues.For("acme"), "not a click message"u8.ToArray());
        }

        await _publisher.PublishAsync("acme", clicks, CancellationToken.None);

        var inbox = await StartInboxAsync("acme");
        await WaitForAsync(inbox, ["acme"]);
        Assert.Equal(clicks, (await inbox.TakeAsync("acme", 100, CancellationToken.None))!.Clicks);
        Assert.Equal(1, inbox.Rejected);
        await WaitUntilAsync(async () => await MessageCountAsync(_queues.Dead) == 1);
    }

    [Fact]
    public async Task A_message_of_another_tenant_in_a_tenants_queue_is_refused()
    {
        await using (var other = new RabbitMqClickPublisher(_factory, _queues))
        {
            await other.PublishAsync("acme", Clicks("acme", 1), CancellationToken.None);
        }

        await using (var connection = await RabbitMqTestServer.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var foreign = ClickCodec.Encode("globex", Clicks("globex", 1));
            await channel.BasicPublishAsync(string.Empty, _queues.For("acme"), foreign);
        }

        var inbox = await StartInboxAsync("acme");
        await WaitUntilAsync(async () => inbox.Rejected == 1 && await CountAsync(inbox, "acme") == 1);
    }

    private async Task<RabbitMqClickInbox> StartInboxAsync(params string[] tenants)
    {
        var inbox = Track(new RabbitMqClickInbox(
            _factory, _queues, prefetch: 10, _ => Task.FromResult<IReadOnlyList<string>>(tenants), TimeSpan.FromSeconds(1), NullLogger<RabbitMqClickInbox>.Instance));
        await inbox.StartAsync(CancellationToken.None);
        return inbox;
    }

    private static async Task<int> CountAsync(RabbitMqClickInbox inbox, string tenant) =>
        (await inbox.TakeAsync(tenant, int.MaxValue, CancellationToken.None))?.Clicks.Count ?? 0;

    private static Task WaitForAsync(RabbitMqClickInbox inbox, string[] tenants) =>
        WaitUntilAsync(() => Task.FromResult(inbox.TenantsWithWork().SequenceEqual(tenants)));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 20 s.");
            await Task.Delay(50);
        }
    }

    private static async Task<uint> MessageCountAsync(string queue)
    {
        await using var connection = await RabbitMqTestServer.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    private static Click[] Clicks(string tenant, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i =>
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            return new Click(Guid.CreateVersion7(at), tenant, $"c{i}", i % 2 == 0 ? $"user-{i}" : null, at, "Mozilla/5.0", null, "127.0.0.1",
                i % 3 == 0 ? ClickFlags.NonHuman : ClickFlags.None);
        }),
    ];

    private T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }
}
