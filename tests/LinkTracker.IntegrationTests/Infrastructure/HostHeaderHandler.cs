using System.Net;
using System.Net.Sockets;

namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>Sends every request to 127.0.0.1 with the tenant's Host header, as DNS for *.localhost would.</summary>
public sealed class HostHeaderHandler(string host, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public HostHeaderHandler(string host)
        : this(host, new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
    }

    /// <summary>Connects from <paramref name="localAddress"/> (e.g. 127.0.0.2, also loopback on Linux): another client address.</summary>
    public static HostHeaderHandler From(string host, IPAddress localAddress) => new(host, new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Host = host;
        return base.SendAsync(request, cancellationToken);
    }
}
