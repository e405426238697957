using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace LinkTracker.Network;

public static class NetworkExtensions
{
    /// <summary>
    /// The client's address behind trusted proxies (Network:KnownProxies / KnownNetworks): ASP.NET Core's forwarded
    /// headers middleware, trusting only what is configured — not even loopback by default.
    /// </summary>
    public static IHostApplicationBuilder AddNetwork(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((forwarded, network) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = network.Value.ForwardLimit;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in network.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var cidr in network.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(cidr));
            }
        });
        return builder;
    }

    /// <summary>
    /// First in the pipeline, so capture, rate limits and logs all see the client rather than the proxy. Only when a
    /// proxy is configured: the middleware with empty lists would believe every sender.
    /// </summary>
    public static WebApplication UseNetwork(this WebApplication app)
    {
        var network = app.Services.GetRequiredService<IOptions<NetworkOptions>>().Value;
        if (network.KnownProxies.Length > 0 || network.KnownNetworks.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
