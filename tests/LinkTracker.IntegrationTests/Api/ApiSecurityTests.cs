using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Api;

/// <summary>Authentication before the body is read, rate limits by authenticated tenant, the throttle of failed calls, headers.</summary>
public sealed class ApiSecurityTests
{
    private const string WrongKey = "lt_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer " + WrongKey)]
    public async Task A_malformed_post_without_a_valid_key_is_unauthorized_not_a_json_error(string? authorization)
    {
        await using var service = await TestService.StartAsync();
        await service.AddTenantAsync("acme");
        using var client = service.Client("acme");
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.PostRawAsync("/api/links", "{ this is not json");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("Malformed JSON", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_flood_on_a_tenants_host_never_spends_that_tenants_rate_limit()
    {
        await using var service = await TestService.StartAsync("Api:RequestsPerSecondPerTenant=1", "Api:BurstPerTenant=5");
        var key = await service.AddTenantAsync("acme");
        using var attacker = Clients.From(Attacker, service.Address, "acme.localhost", WrongKey);
        using var acme = service.Client("acme", key);

        var statuses = await FloodAsync(attacker, 1_500);
        var own = await acme.GetAsync("/api/links");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(1_500, statuses[HttpStatusCode.Unauthorized] + statuses[HttpStatusCode.TooManyRequests]);
        Assert.InRange(statuses[HttpStatusCode.Unauthorized], 30, 60); // Api:UnauthenticatedPerAddress per minute (one new window at most), then 429
    }

    [Fact]
    public async Task Repeated_failed_keys_from_one_address_get_429_while_other_addresses_go_on()
    {
        await using var service = await TestService.StartAsync("Api:UnauthenticatedPerAddress=5");
        var key = await service.AddTenantAsync("acme");
        using var guesser = Clients.From(Attacker, service.Address, "acme.localhost", WrongKey);
        using var guesserWithKey = Clients.From(Attacker, service.Address, "acme.localhost", key);
        using var guesserOnOps = Clients.From(Attacker, service.Address, "127.0.0.1");
        using var acme = service.Client("acme", key);

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            first.Add((await guesser.GetAsync("/api/links")).StatusCode);
        }

        var throttled = await guesser.GetAsync("/api/links");

        Assert.All(first, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter);
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);

        // The address's budget is spent for every credential (no key is looked up for it), operator endpoints included.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesserWithKey.GetAsync("/api/links")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesserOnOps.GetAsync("/ops/writer")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await acme.GetAsync("/api/links")).StatusCode);
    }

    [Fact]
    public async Task Every_answer_says_nosniff_authenticated_ones_no_store_and_none_names_the_server()
    {
        await using var service = await TestService.StartAsync();
        var key = await service.AddTenantAsync("acme");
        using var acme = service.Client("acme", key);
        using var anonymous = service.Client("acme");
        using var ops = service.OpsClient();
        (await acme.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "go" })).EnsureSuccessStatusCode();

        var authenticated = new[] { await acme.GetAsync("/api/links"), await acme.GetAsync("/api/links/none"), await ops.GetAsync("/ops/writer") };
        var others = new[] { await acme.GetAsync("/go"), await acme.GetAsync("/unknown"), await anonymous.GetAsync("/api/links"), await anonymous.GetAsync("/health/live") };

        foreach (var response in authenticated.Concat(others))
        {
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.False(response.Headers.Contains("Server"), $"{response.RequestMessage!.RequestUri} named the server");
        }

        Assert.All(authenticated, response => Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri} may be cached"));
    }

    [Fact]
    public async Task The_openapi_document_declares_the_api_key_and_the_operator_token()
    {
        await using var service = await TestService.StartAsync();
        using var client = Clients.For(service.Address, "localhost");

        var document = await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();

        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]);
        Assert.Equal("X-Ops-Token", (string?)document["components"]!["securitySchemes"]!["OpsToken"]!["name"]);
        Assert.NotNull(document["paths"]!["/api/links"]!["post"]!["security"]![0]!["Bearer"]);
        Assert.NotNull(document["paths"]!["/ops/writer"]!["get"]!["security"]![0]!["OpsToken"]);
    }

    private static async Task<Dictionary<HttpStatusCode, int>> FloodAsync(HttpClient client, int count)
    {
        var statuses = new Dictionary<HttpStatusCode, int> { [HttpStatusCode.Unauthorized] = 0, [HttpStatusCode.TooManyRequests] = 0 };
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var status = (await client.GetAsync("/api/links")).StatusCode;
                lock (statuses)
                {
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return statuses;
    }
}
