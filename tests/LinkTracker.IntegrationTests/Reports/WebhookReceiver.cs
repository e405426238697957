using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LinkTracker.IntegrationTests.Reports;

/// <summary>A webhook endpoint on 127.0.0.1 that records every delivery and fails the first <c>failures</c> of them with a 500.</summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly Task _loop;
    private int _failuresLeft;

    public WebhookReceiver(int failures)
    {
        _failuresLeft = failures;
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/hooks/linktracker";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/hooks/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public IReadOnlyList<Delivery> Deliveries => [.. _deliveries];

    public async Task<IReadOnlyList<Delivery>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (_deliveries.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{_deliveries.Count} of {count} webhook deliveries arrived in time");
            await Task.Delay(25);
        }

        return Deliveries;
    }

    public void Dispose()
    {
        _listener.Close();
        _ = _loop.Exception;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var fail = Interlocked.Decrement(ref _failuresLeft) >= 0;
            _deliveries.Enqueue(new Delivery(headers, body.ToArray(), fail ? 500 : 204));
            context.Response.StatusCode = fail ? 500 : 204;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed record Delivery(IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredStatus);
}
