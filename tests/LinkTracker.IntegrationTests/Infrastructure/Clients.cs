using System.Net;
using System.Net.Http.Headers;

namespace LinkTracker.IntegrationTests.Infrastructure;

public static class Clients
{
    public const string BrowserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

    /// <summary>A client for a tenant's host (port kept), with a browser user agent and, optionally, an API key.</summary>
    public static HttpClient For(Uri address, string host, string? apiKey = null)
    {
        var client = new HttpClient(new HostHeaderHandler($"{host}:{address.Port}")) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(BrowserAgent);
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>Like <see cref="For"/>, connecting from another loopback address (e.g. 127.0.0.2): another client as the service sees it.</summary>
    public static HttpClient From(IPAddress localAddress, Uri address, string host, string? apiKey = null)
    {
        var client = new HttpClient(HostHeaderHandler.From($"{host}:{address.Port}", localAddress)) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(BrowserAgent);
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>A client for the operator endpoints (/ops, /metrics) on the base host with the operator token.</summary>
    public static HttpClient Ops(Uri address, string host, string token)
    {
        var client = For(address, host);
        client.DefaultRequestHeaders.Add("X-Ops-Token", token);
        return client;
    }
}
