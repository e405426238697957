using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LinkTracker.IntegrationTests.Legacy;

/// <summary>
/// A legacy link tracker on 127.0.0.1 (a small Kestrel app on a free port). By the code's first letter: f → 302,
/// m → 301, t → 307 and p → 308 to https://dest.example/&lt;code&gt;&lt;query&gt;, n → 404, e → 500, g → 200 garbage, s → waits for
/// <see cref="Release"/> then 302; any deeper path → 200 "legacy page &lt;path&gt;". <see cref="Failing"/> makes every answer a 503.
/// </summary>
internal sealed class LegacyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _maxInFlight;
    private bool _stopped;

    private LegacyServer(WebApplication app) => _app = app;

    public string Url => _app.Urls.Single();

    public bool Failing { get; set; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests that reached this server for the path.</summary>
    public int Requests(string path) => _requests.GetValueOrDefault(path);

    public static async Task<LegacyServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LegacyServer(app);
        app.Run(server.AnswerAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>Lets the waiting slow answers go.</summary>
    public void Release() => _gate.TrySetResult();

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            Release();
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        try
        {
            var response = context.Response;
            var code = path.TrimStart('/');
            var location = $"https://dest.example/{code}{context.Request.QueryString}";
            if (Failing)
            {
                response.StatusCode = 503;
            }
            else if (code.Contains('/'))
            {
                await response.WriteAsync($"legacy page {path}");
            }
            else if (code.StartsWith('s'))
            {
                await _gate.Task;
                response.Redirect(location);
            }
            else
            {
                switch (code.FirstOrDefault())
                {
                    case 'f': response.Redirect(location); break;
                    case 'm': response.Redirect(location, permanent: true); break;
                    case 't': response.Redirect(location, permanent: false, preserveMethod: true); break;
                    case 'p': response.Redirect(location, permanent: true, preserveMethod: true); break;
                    case 'n': response.StatusCode = 404; break;
                    case 'e': response.StatusCode = 500; break;
                    default: await response.WriteAsync("<html>not a redirect</html>"); break;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
