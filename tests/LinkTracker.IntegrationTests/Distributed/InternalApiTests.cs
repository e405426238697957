using System.Net;
using System.Net.Http.Headers;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Distributed;

/// <summary>The api node's internal endpoints, which edges without database credentials ask on a cache miss.</summary>
public sealed class InternalApiTests : IAsyncLifetime
{
    private const string Token = "internal-token-0123456789abcdef-0123456789";
    private TestService _service = null!;

    public async Task InitializeAsync()
    {
        _service = await TestService.StartAsync($"Internal:Token={Token}");
        var key = await _service.AddTenantAsync("acme");
        using var acme = _service.Client("acme", key);
        (await acme.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("internal-token-0123456789abcdef-0123456788")]
    public async Task Without_the_token_nothing_is_revealed(string? token)
    {
        using var client = Client(token);

        var response = await client.GetAsync("/internal/links/acme/a");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Internal:Token", (string)(await response.ReadJsonAsync())["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_token_an_edge_reads_tenants_links_and_missing_links()
    {
        using var client = Client(Token);

        var tenants = (await (await client.GetAsync("/internal/tenants")).ReadJsonAsync()).AsArray();
        var link = await (await client.GetAsync("/internal/links/acme/a")).ReadJsonAsync();
        var missing = await (await client.GetAsync("/internal/links/acme/nope")).ReadJsonAsync();

        Assert.Equal("acme", (string)Assert.Single(tenants)!["slug"]!);
        Assert.Equal("https://example.com/a", (string)link["destination"]!);
        Assert.True((bool)link["exists"]!);
        Assert.False((bool)missing["exists"]!);
    }

    private HttpClient Client(string? token)
    {
        var client = Clients.For(_service.Address, "10.0.0.5");
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
