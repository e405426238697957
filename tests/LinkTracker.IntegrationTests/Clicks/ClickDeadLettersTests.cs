using System.Text;
using System.Text.Json.Nodes;
using LinkTracker.Core.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.RabbitMq.Clicks;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>
/// Click messages the writers could not read, kept in the broker's dead queue: listed, redriven and purged through
/// /ops/clicks/dead and `linktracker clicks`, on the test broker with queues of their own.
/// </summary>
public sealed class ClickDeadLettersTests : IAsyncLifetime
{
    private readonly ClickQueues _queues = new(RabbitMqTestServer.UniqueName("dl"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await using var connection = await RabbitMqTestServer.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in new[] { _queues.For("acme"), _queues.Dead })
        {
            await channel.QueueDeleteAsync(queue);
        }
    }

    [Fact]
    public async Task A_dead_letter_is_listed_and_once_the_writers_read_it_a_redrive_stores_its_clicks_once()
    {
        // An older writer, reading only versions 1 and 2, met a version 3 message from a newer edge and rejected it.
        var clicks = Clicks(3);
        var nextVersion = Encoded(3, clicks);
        await RejectedByAnOlderWriterAsync(nextVersion, clicks[0].Id.ToString());

        // This build reads version 3. A build two versions ahead then publishes what nobody here reads.
        await using var service = await TestService.StartAsync($"RabbitMq:Uri={RabbitMqTestServer.Uri}", $"RabbitMq:QueuePrefix={_queues.Prefix}");
        await service.AddTenantAsync("acme");
        var tooNew = Encoded(4, Clicks(2));
        await PublishAsync(_queues.For("acme"), tooNew, "from-the-future");
        using var ops = service.OpsClient();
        await WaitUntilAsync(async () => (long)(await DeadAsync(ops))["total"]! == 2);

        // Two workers rejected them independently: the dead queue holds them in whichever order they arrived.
        var listed = (await DeadAsync(ops))["items"]!.AsArray().OrderBy(m => (string)m!["id"]! == "from-the-future").ToList();
        var cli = await ClicksAsync(service, "dead");

        Assert.Equal([clicks[0].Id.ToString(), "from-the-future"], listed.Select(m => (string)m!["id"]!));
        Assert.All(listed, m => Assert.Equal(("acme", "rejected"), ((string?)m!["tenant"], (string?)m["reason"])));
        Assert.Equal((3, 3, nextVersion.Length), ((int)listed[0]!["version"]!, (int?)listed[0]!["clicks"], (int)listed[0]!["bytes"]!));
        Assert.Null((string?)listed[0]!["problem"]);
        Assert.Equal(4, (int)listed[1]!["version"]!);
        Assert.Null((int?)listed[1]!["clicks"]);
        Assert.Contains("version 4 was written by a newer LinkTracker", (string)listed[1]!["problem"]!, StringComparison.Ordinal);
        Assert.StartsWith("04", (string)listed[1]!["firstBytes"]!, StringComparison.Ordinal);
        Assert.Equal(0, cli.ExitCode);
        Assert.Contains("from-the-future", cli.Output, StringComparison.Ordinal);
        Assert.Contains("cannot read: Click format version 4", cli.Output, StringComparison.Ordinal);
        Assert.Contains("2 click dead letter(s)", cli.Output, StringComparison.Ordinal);

        // Both go back; the writer stores the one it reads and rejects the other again, which stays listed.
        var redrive = await ClicksAsync(service, "redrive", "--all");
        Assert.Equal((0, "2 click dead letter(s) sent back to their tenants' queues."), (redrive.ExitCode, redrive.Output.Trim()));
        await WaitUntilAsync(async () => service.Metrics.RowsInserted == 3
            && (await DeadAsync(ops))["items"]!.AsArray() is [{ } back] && (long)back["deaths"]! == 2);
        var store = service.Services.GetRequiredService<IClickStore>();
        var stored = await store.ListAsync("acme", new ClickQuery("c", null, 100, null, null), CancellationToken.None);
        var left = await DeadAsync(ops);

        Assert.Equal(clicks.Select(c => c.Id).Order(), stored.Items.Select(c => c.Id).Order());
        Assert.Equal(1, (long)left["total"]!);
        Assert.Equal("from-the-future", (string?)left["items"]![0]!["id"]);

        var purge = await ClicksAsync(service, "purge");
        var empty = await ClicksAsync(service, "dead");

        Assert.Equal((0, "1 click dead letter(s) deleted."), (purge.ExitCode, purge.Output.Trim()));
        Assert.Equal((0, "No click dead letters."), (empty.ExitCode, empty.Output.Trim()));
        Assert.Equal(3, service.Metrics.RowsInserted);
    }

    [Fact]
    public async Task Listing_many_times_loses_nothing_and_keeps_the_order()
    {
        // From RabbitMQ 4.0 a quorum queue drops a message requeued 20 times: listing must not requeue.
        await PublishAsync(_queues.Dead, [9, 9, 9], "first", declareDead: true);
        await PublishAsync(_queues.Dead, Encoded(1, Clicks(1)), "second");
        using var deadLetters = new ClickDeadLetters(new ConnectionFactory { Uri = RabbitMqTestServer.Uri }, _queues);

        for (var i = 0; i < 25; i++)
        {
            var (total, items) = await deadLetters.ListAsync(10, CancellationToken.None);
            Assert.Equal(2, total);
            Assert.Equal(["first", "second"], items.Select(m => m.Id));
        }

        var (_, listed) = await deadLetters.ListAsync(10, CancellationToken.None);
        Assert.Contains("not published by a LinkTracker edge", listed[0].Problem, StringComparison.OrdinalIgnoreCase);
        Assert.Null(listed[0].Tenant);
        Assert.Equal("acme", listed[1].Tenant); // no queue of origin, but its clicks say whose they are
        Assert.Equal((0, 1), await deadLetters.RedriveAsync("first", CancellationToken.None)); // nowhere to send it: kept
        Assert.Equal(2u, await deadLetters.PurgeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_broker_the_endpoints_say_there_are_no_click_dead_letters_and_why()
    {
        await using var service = await TestService.StartAsync();
        using var ops = service.OpsClient();

        var response = await ops.GetAsync("/ops/clicks/dead");
        var cli = await ClicksAsync(service, "dead");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Contains("RabbitMq:Uri", (string)(await response.ReadJsonAsync())["detail"]!, StringComparison.Ordinal);
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("no click dead letters", cli.Error, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output, string Error)> ClicksAsync(TestService service, params string[] args) =>
        LinkTrackerCommand.RunAsync(["clicks", .. args, "--url", service.Address.ToString(), "--data", service.DataDirectory]);

    private static async Task<JsonNode> DeadAsync(HttpClient ops)
    {
        var response = await ops.GetAsync("/ops/clicks/dead");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    /// <summary>What a writer that does not read the body does: takes it from the tenant's queue and rejects it to the dead queue.</summary>
    private async Task RejectedByAnOlderWriterAsync(byte[] body, string id)
    {
        await using var connection = await RabbitMqTestServer.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(_queues.Dead, true, false, false, ClickQueues.DeadQueueArguments());
        await channel.QueueDeclareAsync(_queues.For("acme"), true, false, false, _queues.TenantQueueArguments());
        await channel.BasicPublishAsync(string.Empty, _queues.For("acme"), true, Properties(id), body);
        BasicGetResult? got = null;
        await WaitUntilAsync(async () => (got = await channel.BasicGetAsync(_queues.For("acme"), autoAck: false)) is not null);
        await channel.BasicRejectAsync(got!.DeliveryTag, requeue: false);
        await WaitUntilAsync(async () => (await channel.QueueDeclarePassiveAsync(_queues.Dead)).MessageCount == 1);
    }

    private async Task PublishAsync(string queue, byte[] body, string id, bool declareDead = false)
    {
        await using var connection = await RabbitMqTestServer.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        if (declareDead)
        {
            await channel.QueueDeclareAsync(_queues.Dead, true, false, false, ClickQueues.DeadQueueArguments());
        }

        var properties = Properties(id);
        properties.ContentType = body[0] == 9 ? "text/plain" : properties.ContentType;
        await channel.BasicPublishAsync(string.Empty, queue, true, properties, body);
    }

    private static BasicProperties Properties(string id) => new() { Persistent = true, MessageId = id, ContentType = ClickQueues.ContentType };

    /// <summary>
    /// A message in format <paramref name="version"/>, by hand: version 1's fields and, from version 2, an extension
    /// block after each click (version 2's campaign, none here, then what version 3 appends) and after the last (ADR 11);
    /// a version 4 writer is imagined to write the same shape.
    /// </summary>
    private static byte[] Encoded(byte version, Click[] clicks)
    {
        if (version == 1)
        {
            return ClickCodec.Encode("acme", clicks);
        }

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(version);
            writer.Write("acme");
            writer.Write7BitEncodedInt(clicks.Length);
            foreach (var click in clicks)
            {
                writer.Write(click.Id.ToByteArray(bigEndian: true));
                writer.Write(click.Code);
                writer.Write(false); // no recipient
                writer.Write(click.At.ToUnixTimeMilliseconds());
                writer.Write(false); // user agent
                writer.Write(false); // referrer
                writer.Write(false); // address
                writer.Write((int)click.Flags);
                writer.Write7BitEncodedInt(4);
                writer.Write(false); // no campaign
                writer.Write("\u0002DE"u8);
            }

            writer.Write7BitEncodedInt(0);
        }

        return stream.ToArray();
    }

    private static Click[] Clicks(int count) =>
    [
        .. Enumerable.Range(0, count).Select(i =>
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            return new Click(Guid.CreateVersion7(at), "acme", "c", null, at, null, null, null, ClickFlags.None);
        }),
    ];

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 30 s.");
            await Task.Delay(100);
        }
    }
}
