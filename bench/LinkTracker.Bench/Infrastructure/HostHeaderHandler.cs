namespace LinkTracker.Bench.Infrastructure;

/// <summary>Sends every request to 127.0.0.1 with a tenant's Host header, as DNS for *.localhost would.</summary>
public sealed class HostHeaderHandler(string host) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false })
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Host = host;
        return base.SendAsync(request, cancellationToken);
    }
}
