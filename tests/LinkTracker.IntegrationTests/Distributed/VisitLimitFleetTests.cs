using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Distributed;

/// <summary>
/// maxVisits on the distributed deployment (ADR 25): two edge processes count in one Redis, so exactly maxVisits
/// redirects succeed however the visits race across them; with Redis gone a limited link fails closed (503 + Retry-After)
/// while an unlimited one still redirects.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class VisitLimitFleetTests : IAsyncLifetime
{
    private const int MaxVisits = 25;
    private readonly string _token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly string _prefix = "vl" + Guid.NewGuid().ToString("N")[..10];
    private readonly List<IDisposable> _disposables = [];
    private PostgresTestDatabase _database = null!;
    private RedisProcess _redis = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _redis = await RedisProcess.StartAsync(); // its own, so the test may stop it
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            disposable.Dispose();
        }

        await _redis.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Exactly_max_visits_redirects_succeed_across_two_edges_and_without_redis_a_limited_link_fails_closed()
    {
        string[] shared = [$"RabbitMq:Uri={RabbitMqTestServer.Uri}", $"RabbitMq:QueuePrefix={_prefix}", $"Redis:Configuration={_redis.Configuration}",
            $"Internal:Token={_token}"];
        var key = await AddTenantAsync();
        var api = await StartAsync("api", [.. _database.ServiceSettings(withOwner: false), .. shared]);
        var admin = Track(api.Client("acme", key));
        (await admin.PostJsonAsync("/api/links", new { url = "https://example.com/prize", code = "prize", maxVisits = MaxVisits })).EnsureSuccessStatusCode();
        (await admin.PostJsonAsync("/api/links", new { url = "https://example.com/free", code = "free" })).EnsureSuccessStatusCode();
        var edges = new HttpClient[2];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = Track((await StartAsync("edge", [.. shared, $"Internal:ApiUrls={api.Address}"])).Client("acme"));
        }

        // Four times the limit, sixteen at a time on each edge.
        var statuses = await Task.WhenAll(Enumerable.Range(0, MaxVisits * 4).Select(i => Task.Run(async () =>
        {
            using var response = await edges[i % 2].GetAsync($"/prize?r=p{i}");
            return (response.StatusCode, response.Headers.Location?.OriginalString);
        })));

        Assert.Equal(MaxVisits, statuses.Count(s => s.StatusCode == HttpStatusCode.Found && s.OriginalString == "https://example.com/prize"));
        Assert.Equal(MaxVisits * 3, statuses.Count(s => s.StatusCode == HttpStatusCode.Gone));
        Assert.Equal(HttpStatusCode.Gone, (await edges[0].GetAsync("/prize")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await edges[1].GetAsync("/free")).StatusCode); // now cached on that edge

        // A raised limit lets exactly the difference through.
        var raised = await admin.PatchRawAsync("/api/links/prize", $$"""{"maxVisits":{{MaxVisits + 2}}}""");
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        var after = new[] { await edges[0].GetAsync("/prize"), await edges[1].GetAsync("/prize"), await edges[0].GetAsync("/prize") };
        Assert.Equal([HttpStatusCode.Found, HttpStatusCode.Found, HttpStatusCode.Gone], after.Select(r => r.StatusCode));

        _redis.Kill();
        var closed = await edges[1].GetAsync("/prize");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, closed.StatusCode);
        Assert.NotNull(closed.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Found, (await edges[1].GetAsync("/free")).StatusCode);
    }

    private HttpClient Track(HttpClient client)
    {
        _disposables.Insert(0, client);
        return client;
    }

    private async Task<string> AddTenantAsync()
    {
        using var data = new TempFolder();
        var added = await LinkTrackerCommand.RunAsync(_database.OwnerEnvironment, "tenants", "add", "acme", "--json", "--data", data.Path);
        Assert.True(added.ExitCode == 0, added.Error);
        return (string)JsonNode.Parse(added.Output)!["apiKey"]!;
    }

    private async Task<ServiceProcess> StartAsync(string role, string[] settings)
    {
        var data = new TempFolder();
        _disposables.Add(data);
        var service = await ServiceProcess.StartAsync(data.Path, [$"Node:Roles={role}", .. settings]);
        _disposables.Insert(0, service);
        return service;
    }
}
