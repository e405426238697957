using System.Diagnostics;
using StackExchange.Redis;

namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>A redis-server of one test's own on 127.0.0.1 (no persistence), so the test can take it away and bring it back.</summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private Process? _process;

    private RedisProcess(int port) => Port = port;

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisProcess> StartAsync()
    {
        var redis = new RedisProcess(ServiceProcess.FreePort());
        await redis.RestartAsync();
        return redis;
    }

    /// <summary>Starts it again on the same port (after <see cref="Kill"/>) and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        _process = Process.Start(new ProcessStartInfo("redis-server", ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _folder.Path])
        {
            RedirectStandardOutput = true,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync(Configuration + ",connectTimeout=500");
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>SIGKILL: the server is gone at once, connections drop.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
