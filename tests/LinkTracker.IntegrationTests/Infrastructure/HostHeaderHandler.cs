namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>Sends every request to 127.0.0.1 with the tenant's Host header, as DNS for *.localhost would.</summary>
public sealed class HostHeaderHandler(string host) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Host = host;
        return base.SendAsync(request, cancellationToken);
    }
}
