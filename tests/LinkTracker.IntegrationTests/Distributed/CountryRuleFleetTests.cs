using System.Net;
using LinkTracker.IntegrationTests.Clicks;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Distributed;

/// <summary>
/// Redirect rules by country are evaluated where the redirect happens: on an edge-only process with Geo:DatabasePath
/// set, a click from London follows the GB rule and one from Paris the link's own destination.
/// </summary>
public sealed class CountryRuleFleetTests : IAsyncLifetime
{
    private readonly string _prefix = "cr" + Guid.NewGuid().ToString("N")[..10];
    private readonly FleetProcesses _fleet = new();
    private readonly TempFolder _folder = new();
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        _fleet.Dispose();
        await _database.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task An_edge_with_a_geo_database_sends_a_click_from_the_rules_country_to_the_rules_destination()
    {
        var geo = await GeoEnrichmentTests.CityDatabase().WriteToAsync(_folder.Path);
        string[] shared = [$"RabbitMq:Uri={RabbitMqTestServer.Uri}", $"RabbitMq:QueuePrefix={_prefix}", $"Redis:Configuration={RedisTestServer.Configuration}",
            $"Internal:Token={_fleet.Token}"];
        var key = await FleetProcesses.AddTenantAsync(_database);
        var api = await _fleet.StartAsync("api", [.. _database.ServiceSettings(withOwner: false), .. shared]);
        var admin = _fleet.Track(api.Client("acme", key));
        (await admin.PostJsonAsync("/api/links", new
        {
            url = "https://example.com/all",
            code = "r",
            rules = new[] { new { when = new { country = new[] { "GB" } }, url = "https://example.com/uk" } },
        })).EnsureSuccessStatusCode();
        // The test's client connects from 127.0.0.1, which plays the load balancer that sets X-Forwarded-For.
        var edge = _fleet.Track((await _fleet.StartAsync(
            "edge", [.. shared, $"Internal:ApiUrls={api.Address}", $"Geo:DatabasePath={geo}", "Network:KnownProxies:0=127.0.0.1"])).Client("acme"));

        Assert.Equal("https://example.com/uk", await LocationFromAsync(edge, "81.2.69.160"));
        Assert.Equal("https://example.com/all", await LocationFromAsync(edge, "2.3.4.5"));
    }

    private static async Task<string?> LocationFromAsync(HttpClient edge, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/r?r=ann");
        request.Headers.Add("X-Forwarded-For", address);
        using var response = await edge.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location?.ToString();
    }
}
