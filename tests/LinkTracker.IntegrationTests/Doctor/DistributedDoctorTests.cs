using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.RabbitMq.Clicks;
using RabbitMQ.Client;

namespace LinkTracker.IntegrationTests.Doctor;

/// <summary>The doctor on the distributed deployment: broker and Redis probed, click dead letters counted, a Redis outage named.</summary>
public sealed class DistributedDoctorTests : IAsyncLifetime
{
    private readonly ClickQueues _queues = new(RabbitMqTestServer.UniqueName("doc"));
    private RedisProcess? _redis;
    private TestService? _service;

    public async Task InitializeAsync() => _redis = await RedisProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await _redis!.DisposeAsync();
        await using var connection = await RabbitMqTestServer.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in new[] { _queues.For("acme"), _queues.Dead })
        {
            await channel.QueueDeleteAsync(queue);
        }
    }

    [Fact]
    public async Task Broker_and_Redis_are_checked_an_unreadable_click_message_needs_action_and_a_Redis_outage_is_named()
    {
        _service = await TestService.StartAsync(
            "Jobs:DailyAt=23:59:59", $"RabbitMq:Uri={RabbitMqTestServer.Uri}", $"RabbitMq:QueuePrefix={_queues.Prefix}", $"Redis:Configuration={_redis!.Configuration}");
        await _service.AddTenantAsync("acme");
        using var ops = _service.OpsClient();

        var healthy = await DoctorAsync(ops);
        Assert.Equal(0, (int)healthy["exitCode"]!);
        Assert.Contains("broker ok", Checks(healthy));
        Assert.Contains("redis ok", Checks(healthy));

        await using (var connection = await RabbitMqTestServer.ConnectAsync())
        {
            await WaitUntilAsync(async () => await ExistsAsync(connection, _queues.For("acme"))); // the worker declared it
            await using var channel = await connection.CreateChannelAsync();
            var properties = new BasicProperties { Persistent = true, MessageId = "garbage", ContentType = "text/plain" };
            await channel.BasicPublishAsync(string.Empty, _queues.For("acme"), true, properties, new byte[] { 9, 9, 9 });
        }

        var dead = await WaitForAsync(ops, r => r["problems"]!.AsArray().Any(p => (string?)p!["check"] == "broker"));
        var problem = dead["problems"]!.AsArray().First(p => (string?)p!["check"] == "broker")!;
        Assert.Equal(("action", "docs/runbook.md#dead-letters"), ((string?)problem["severity"], (string?)problem["runbook"]));
        Assert.Contains($"{_queues.Dead} holds 1 message(s)", (string?)problem["evidence"], StringComparison.Ordinal);
        Assert.Equal(2, (int)dead["exitCode"]!);

        _redis.Kill();
        var outage = await WaitForAsync(ops, r => r["problems"]!.AsArray().Any(p => (string?)p!["check"] == "redis"));
        var redis = outage["problems"]!.AsArray().First(p => (string?)p!["check"] == "redis")!;
        Assert.Equal(("action", "docs/runbook.md#dependencies"), ((string?)redis["severity"], (string?)redis["runbook"]));
    }

    private static IEnumerable<string> Checks(JsonNode report) => report["checks"]!.AsArray().Select(c => $"{c!["name"]} {c["status"]}");

    private static async Task<JsonNode> DoctorAsync(HttpClient ops)
    {
        var response = await ops.GetAsync("/ops/doctor");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static async Task<JsonNode> WaitForAsync(HttpClient ops, Func<JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var report = await DoctorAsync(ops);
            if (condition(report))
            {
                return report;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the doctor never said it: {report.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    /// <summary>A passive declare on a channel of its own: a missing queue closes the channel.</summary>
    private static async Task<bool> ExistsAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }
}
