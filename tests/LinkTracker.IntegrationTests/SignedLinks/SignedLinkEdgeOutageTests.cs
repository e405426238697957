using System.Net;
using System.Text.Json.Nodes;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.SignedLinks;

/// <summary>
/// The scenario (ADR 26): a running edge redirects a signed link with its api node stopped and Redis killed.
/// The edge has no database credentials at all (ADR 8), so PostgreSQL is unreachable for it by construction.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class SignedLinkEdgeOutageTests : IAsyncLifetime
{
    private readonly string _token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly string _prefix = "sl" + Guid.NewGuid().ToString("N")[..10];
    private readonly List<IDisposable> _disposables = [];
    private PostgresTestDatabase _database = null!;
    private RedisProcess _redis = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        _redis = await RedisProcess.StartAsync();
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
    public async Task A_running_edge_redirects_a_signed_link_with_the_api_stopped_and_redis_down()
    {
        string[] shared = [$"RabbitMq:Uri={RabbitMqTestServer.Uri}", $"RabbitMq:QueuePrefix={_prefix}", $"Redis:Configuration={_redis.Configuration}", $"Internal:Token={_token}"];
        using var data = new TempFolder();
        var added = await LinkTrackerCommand.RunAsync(_database.OwnerEnvironment, "tenants", "add", "acme", "--json", "--data", data.Path);
        Assert.True(added.ExitCode == 0, added.Error);
        var api = await StartAsync("api", [.. _database.ServiceSettings(withOwner: false), .. shared]);
        using var admin = api.Client("acme", (string)JsonNode.Parse(added.Output)!["apiKey"]!);
        (await admin.PostJsonAsync("/api/signing-keys", new { })).EnsureSuccessStatusCode();
        var signed = await (await admin.PostJsonAsync("/api/signed-links", new { url = "https://example.com/mailing?id=7" })).ReadJsonAsync();
        var path = new Uri((string)signed["shortUrl"]!).PathAndQuery;
        var edge = await StartAsync("edge", [.. shared, $"Internal:ApiUrls={api.Address}"]);
        using var clicker = edge.Client("acme");
        Assert.Equal(HttpStatusCode.Found, (await clicker.GetAsync(path + "?r=before")).StatusCode);

        api.Kill();
        _redis.Kill();

        using var response = await clicker.GetAsync(path + "?r=during");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://example.com/mailing?id=7", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await clicker.GetAsync(path[..^2] + (path[^2] == 'A' ? "B" : "A") + path[^1..])).StatusCode);
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
