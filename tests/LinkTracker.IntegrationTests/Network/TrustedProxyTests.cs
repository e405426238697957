using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Network;

/// <summary>
/// The client address a click records behind a load balancer: X-Forwarded-For is believed only from a configured
/// proxy (the tests' client connects from 127.0.0.1, which plays the proxy), and the address is truncated as usual.
/// </summary>
public sealed class TrustedProxyTests
{
    private static async Task<string?> RecordedAddressAsync(string forwardedFor, params string[] settings)
    {
        await using var service = await TestService.StartAsync(settings);
        using var api = service.Client("acme", await service.AddTenantAsync("acme"));
        (await api.PostJsonAsync("/api/links", new { url = "https://example.com/p", code = "p" })).EnsureSuccessStatusCode();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p?r=ann");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        Assert.Equal(System.Net.HttpStatusCode.Found, (await api.SendAsync(request)).StatusCode);
        await service.WaitForWriterAsync();
        var click = (await (await api.GetAsync("/api/links/p/clicks")).ReadJsonAsync())["items"]![0]!;
        return (string?)click["clientAddress"];
    }

    [Fact]
    public async Task Without_trusted_proxies_a_forwarded_address_is_ignored()
    {
        Assert.Equal("127.0.0.0", await RecordedAddressAsync("203.0.113.77"));
    }

    [Fact]
    public async Task A_trusted_proxy_gives_the_clients_address_truncated()
    {
        Assert.Equal("203.0.113.0", await RecordedAddressAsync("203.0.113.77", "Network:KnownProxies:0=127.0.0.1"));
    }

    [Fact]
    public async Task A_trusted_network_unwinds_only_the_configured_number_of_hops()
    {
        // The client wrote its own X-Forwarded-For (198.51.100.9); the proxy appended the address it saw. One hop is believed.
        Assert.Equal("203.0.113.0", await RecordedAddressAsync("198.51.100.9, 203.0.113.77", "Network:KnownNetworks:0=127.0.0.0/8"));
    }
}
