using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>
/// Country and city from a MaxMind-format database the test builds itself (<see cref="MmdbWriter"/>): a click from an
/// address in it is stored with its country and city and counted in breakdown=country, on each engine; without
/// Geo:DatabasePath the service says so once at start.
/// </summary>
public abstract class GeoEnrichmentTests : IAsyncLifetime
{
    private const string London = "81.2.69.160";
    private const string Paris = "2.3.4.5";
    private readonly TempFolder _folder = new();
    private TestService _service = null!;
    private HttpClient _api = null!;

    protected abstract Task<string[]> SettingsAsync();

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    /// <summary>Two networks of a GeoIP2-City database: London (GB) and Paris (FR); 198.51.100.0/24 is in neither.</summary>
    public static MmdbWriter CityDatabase() => new MmdbWriter("GeoIP2-City")
        .Add("81.2.69.0/24", Place("GB", "United Kingdom", 2643743, "London"))
        .Add("2.3.0.0/16", Place("FR", "France", 2988507, "Paris"));

    public async Task InitializeAsync()
    {
        var database = await CityDatabase().WriteToAsync(_folder.Path);
        // The tests' client connects from 127.0.0.1, which plays the load balancer that sets X-Forwarded-For.
        _service = await TestService.StartAsync([.. await SettingsAsync(), $"Geo:DatabasePath={database}", "Network:KnownProxies:0=127.0.0.1"]);
        _api = _service.Client("acme", await _service.AddTenantAsync("acme"));
        (await _api.PostJsonAsync("/api/links", new { url = "https://example.com/g", code = "g" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _service.DisposeAsync();
        await CleanUpAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_click_from_a_known_network_is_stored_with_its_country_and_city_and_counted_in_breakdowns()
    {
        await ClickFromAsync(London, "ann");
        await ClickFromAsync(London, "bob");
        await ClickFromAsync(Paris, "cy");
        await ClickFromAsync("198.51.100.7", "dan");
        await _service.WaitForWriterAsync();

        var clicks = (await (await _api.GetAsync("/api/links/g/clicks")).ReadJsonAsync())["items"]!.AsArray()
            .ToDictionary(c => (string)c!["recipient"]!);
        Assert.Equal(("GB", "London", "81.2.69.0"), Place(clicks["ann"]!));
        Assert.Equal(("FR", "Paris", "2.3.4.0"), Place(clicks["cy"]!));
        Assert.Equal((null, null, "198.51.100.0"), Place(clicks["dan"]!));

        var response = await _api.GetAsync("/api/links/g/stats?breakdown=country");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.ReadJsonAsync())["breakdown"]!["items"]!.AsArray()
            .Select(i => ((string)i!["value"]!, (long)i["clicks"]!)).ToArray();
        Assert.Equal([("GB", 2L), ("(unknown)", 1L), ("FR", 1L)], items);
    }

    [Fact]
    public async Task A_country_rule_sends_a_click_from_that_country_to_its_destination_and_others_to_the_links()
    {
        (await _api.PostJsonAsync("/api/links", new
        {
            url = "https://example.com/all",
            code = "rule",
            rules = new[] { new { when = new { country = new[] { "gb" } }, url = "https://example.com/uk" } },
        })).EnsureSuccessStatusCode();

        Assert.Equal("https://example.com/uk", await LocationFromAsync(London));
        Assert.Equal("https://example.com/all", await LocationFromAsync(Paris));
        Assert.Equal("https://example.com/all", await LocationFromAsync("198.51.100.7"));
    }

    private async Task<string?> LocationFromAsync(string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rule?r=ann");
        request.Headers.Add("X-Forwarded-For", address);
        using var response = await _api.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location?.ToString();
    }

    private static (string?, string?, string?) Place(System.Text.Json.Nodes.JsonNode click) =>
        ((string?)click["country"], (string?)click["city"], (string?)click["clientAddress"]);

    private async Task ClickFromAsync(string address, string recipient)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/g?r={recipient}");
        request.Headers.Add("X-Forwarded-For", address);
        Assert.Equal(HttpStatusCode.Found, (await _api.SendAsync(request)).StatusCode);
    }

    private static Dictionary<string, object> Place(string isoCode, string country, uint cityId, string city) => new()
    {
        ["country"] = new Dictionary<string, object> { ["iso_code"] = isoCode, ["names"] = new Dictionary<string, object> { ["en"] = country } },
        ["city"] = new Dictionary<string, object> { ["geoname_id"] = cityId, ["names"] = new Dictionary<string, object> { ["en"] = city } },
    };
}

public sealed class SqliteGeoEnrichmentTests : GeoEnrichmentTests
{
    protected override Task<string[]> SettingsAsync() => Task.FromResult<string[]>([]);
}

public sealed class PostgresGeoEnrichmentTests : GeoEnrichmentTests
{
    private PostgresTestDatabase _database = null!;

    protected override async Task<string[]> SettingsAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        return _database.ServiceSettings();
    }

    protected override Task CleanUpAsync() => _database.DisposeAsync().AsTask();
}
