using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Distributed;

/// <summary>
/// Stats freshness on an api node of the distributed deployment comes from where clicks wait — the edge's journal, the
/// broker's queue, the deliveries a writer holds — not from the api node's own empty journal.
/// </summary>
public sealed class FleetFreshnessTests : IAsyncLifetime
{
    private const int Clicks = 600;
    private static readonly TimeSpan ReportAge = TimeSpan.FromSeconds(1.5);
    private readonly string _prefix = "f" + Guid.NewGuid().ToString("N")[..10];
    private readonly FleetProcesses _fleet = new();
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        _fleet.Dispose();

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_api_node_counts_clicks_waiting_on_edges_in_the_broker_and_in_a_writers_hands()
    {
        string[] shared = [$"RabbitMq:Uri={RabbitMqTestServer.Uri}", $"RabbitMq:QueuePrefix={_prefix}", $"Redis:Configuration={RedisTestServer.Configuration}"];
        var key = await FleetProcesses.AddTenantAsync(_database);
        var api = await _fleet.StartAsync("api", [.. _database.ServiceSettings(withOwner: false), .. shared, $"Internal:Token={_fleet.Token}"]);
        using var admin = api.Client("acme", key);
        (await admin.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a" })).EnsureSuccessStatusCode();
        var edge = await _fleet.StartAsync("edge", [.. shared, $"Internal:ApiUrls={api.Address}", $"Internal:Token={_fleet.Token}"]);
        using var clicks = edge.Client("acme");

        // No writer yet: every click waits in the edge's journal or the broker's queue.
        Assert.Equal(Clicks, await Clicker.ClickAsync(clicks, Clicks, i => $"/a?r=fleet-{i}"));
        await Task.Delay(ReportAge); // the documented bound: a node's report is at most a second old
        var (stored, waiting, lag) = await FreshnessAsync(admin);
        Assert.Equal(0, stored);
        Assert.True(waiting > 0, "with no writer running, the api node said no click waits");

        // A slow writer: at 2 transactions of 25 clicks per second the drain takes seconds; freshness shows it throughout.
        await _fleet.StartAsync("worker", [.. _database.ServiceSettings(withOwner: false), .. shared, "Writer:MaxTransactionsPerSecond=2", "Writer:BatchSize=25"]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var polls = 0;
        DateTime? saidNoneSince = null;
        while (true)
        {
            (stored, waiting, lag) = await FreshnessAsync(admin);
            if (stored == Clicks)
            {
                break;
            }

            polls++;
            // A delivery moving from the broker to the writer shows in the writer's next report, within a second.
            saidNoneSince = waiting > 0 ? null : saidNoneSince ?? DateTime.UtcNow;
            Assert.True(saidNoneSince is null || DateTime.UtcNow - saidNoneSince < ReportAge, $"{stored} of {Clicks} stored, and the api node said none waits for over {ReportAge}");
            Assert.True(DateTime.UtcNow < deadline, $"{stored} of {Clicks} stored after 90 s");
            await Task.Delay(200);
        }

        Assert.True(polls > 5, $"the drain was expected to take seconds; it took {polls} polls");
        await Task.Delay(TimeSpan.FromSeconds(2)); // reports are a second old at most
        Assert.Equal((Clicks, 0L, 0.0), await FreshnessAsync(admin));
    }

    private static async Task<(long Stored, long Waiting, double Lag)> FreshnessAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/stats");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stats = await response.ReadJsonAsync();
        return ((long)stats["totals"]!["clicks"]!, (long)stats["freshness"]!["pendingClicks"]!, (double)stats["freshness"]!["lagSeconds"]!);
    }
}
