using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>`linktracker serve` as a child process on 127.0.0.1, so a test can kill -9 or SIGTERM it.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly bool _waitUntilReady;
    private readonly string[] _settings;

    private ServiceProcess(Process process, Uri address, string dataDirectory, bool waitUntilReady, string[] settings)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
        _waitUntilReady = waitUntilReady;
        _settings = settings;
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static Task<ServiceProcess> StartAsync(string dataDirectory, params string[] settings) => StartAsync(dataDirectory, true, settings);

    /// <param name="dataDirectory">The data folder (--data).</param>
    /// <param name="waitUntilReady">Wait for /health/ready (true) or only for /health/live (a process expected not to be ready).</param>
    /// <param name="settings">Configuration such as "Writer:BatchSize=10".</param>
    public static Task<ServiceProcess> StartAsync(string dataDirectory, bool waitUntilReady, params string[] settings) =>
        StartAsync(dataDirectory, waitUntilReady, FreePort(), settings);

    /// <summary>After <see cref="Kill"/> or <see cref="TerminateAsync"/>: the same process again, same address, data folder and settings.</summary>
    public Task<ServiceProcess> RestartAsync() =>
        _process.HasExited
            ? StartAsync(DataDirectory, _waitUntilReady, Address.Port, _settings)
            : throw new InvalidOperationException("The process still runs.");

    private static async Task<ServiceProcess> StartAsync(string dataDirectory, bool waitUntilReady, int port, string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "linktracker.dll"), "serve", "--urls", $"http://127.0.0.1:{port}", "--data", dataDirectory, "--Logging:LogLevel:Default=Warning"])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var setting in settings)
        {
            start.ArgumentList.Add("--" + setting);
        }

        var process = Process.Start(start)!;
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory, waitUntilReady, settings);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilReadyAsync(waitUntilReady ? "/health/ready" : "/health/live");
        return service;
    }

    public HttpClient Client(string tenant, string? apiKey = null) => Clients.For(Address, $"{tenant}.localhost", apiKey);

    /// <summary>A client for the operator endpoints with the token the process generated in its data folder.</summary>
    public HttpClient OpsClient(string host = "localhost") =>
        Clients.Ops(Address, host, Runbook.OpsCredential.ReadFile(DataDirectory) ?? throw new InvalidOperationException("no ops-token in the data folder"));

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, then waits for the process to exit; returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(string path)
    {
        using var client = Clients.For(Address, "localhost");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = "no answer";
        while (true)
        {
            Assert.False(_process.HasExited, $"linktracker exited during start:\n{Output}");
            if (DateTime.UtcNow >= deadline)
            {
                // Not left running after the failed test: a process that never became ready would outlive the test run.
                _process.Kill(entireProcessTree: true);
                Assert.Fail($"linktracker did not become ready within 60 s; {path} last said: {last}\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message; // not listening yet
            }

            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
