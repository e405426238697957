using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LinkTracker.Bench.Infrastructure;

/// <summary>
/// A server (linktracker or the bare redirect) as a child process on a free 127.0.0.1 port. Its output goes
/// to a log file; warnings and errors are counted so the results can show what the service complained about.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int MaxProblemsKept = 20;
    private const int ClockTicksPerSecond = 100;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly List<string> _problems = [];
    private readonly Lock _gate = new();
    private bool _lastWasProblem;
    private bool _closed;

    private ServerProcess(string name, Process process, int port, string logPath)
    {
        Name = name;
        _process = process;
        Port = port;
        LogPath = logPath;
        _log = new StreamWriter(logPath) { AutoFlush = true };
    }

    public string Name { get; }

    public int Port { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public int ProblemCount { get; private set; }

    /// <summary>The first warning and error lines of the log, with the line after each (the message).</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_gate)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>linktracker serve; settings such as "Capture:Mode=Buffered" are passed as --Capture:Mode=Buffered.</summary>
    public static Task<ServerProcess> StartLinkTrackerAsync(RepoPaths paths, string dataDirectory, IEnumerable<string> settings, CancellationToken cancellationToken) =>
        StartLinkTrackerAsync(paths, dataDirectory, settings, "linktracker", cancellationToken);

    /// <summary>As above, named (e.g. "edge1") in the report's problems and messages.</summary>
    public static Task<ServerProcess> StartLinkTrackerAsync(
        RepoPaths paths, string dataDirectory, IEnumerable<string> settings, string name, CancellationToken cancellationToken)
    {
        var port = FreePort();
        string[] args =
        [
            paths.LinkTrackerDll, "serve", "--urls", $"http://127.0.0.1:{port}", "--data", dataDirectory,
            "--Logging:LogLevel:Default=Warning", .. settings.Select(s => "--" + s),
        ];
        return StartAsync(name, args, port, Path.Combine(dataDirectory, "linktracker.log"), "/health/ready", cancellationToken);
    }

    public static Task<ServerProcess> StartBareAsync(RepoPaths paths, string logFolder, string location, CancellationToken cancellationToken)
    {
        var port = FreePort();
        string[] args = [paths.BareRedirectDll, "--urls", $"http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning", $"--Location={location}"];
        return StartAsync("bare", args, port, Path.Combine(logFolder, "bare.log"), "/health", cancellationToken);
    }

    /// <summary>Resident memory of the server (VmRSS), in bytes.</summary>
    public long ReadRssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>User + system CPU the server used so far.</summary>
    public TimeSpan ReadCpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / ClockTicksPerSecond);
    }

    /// <summary>SIGTERM (the service drains capture and writer), then waits; kills after the timeout.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
            Record($"bench: {Name} did not exit within {timeout.TotalSeconds:0} s of SIGTERM and was killed");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_gate)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    private static async Task<ServerProcess> StartAsync(
        string name, string[] args, int port, string logPath, string readyPath, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        var server = new ServerProcess(name, process, port, logPath);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(readyPath, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    private async Task WaitUntilReadyAsync(string path, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited during start (code {_process.ExitCode}); see {LogPath}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} was not ready within 60 s; see {LogPath}");
            }

            try
            {
                using var response = await client.GetAsync(path, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _log.WriteLine(line);
            var problem = line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal)
                || line.StartsWith("crit:", StringComparison.Ordinal) || line.StartsWith("Unhandled exception", StringComparison.Ordinal);
            if (problem)
            {
                ProblemCount++;
            }

            if ((problem || _lastWasProblem) && _problems.Count < MaxProblemsKept * 2)
            {
                _problems.Add(line.Trim());
            }

            _lastWasProblem = problem;
        }
    }

    private void Record(string line)
    {
        lock (_gate)
        {
            ProblemCount++;
            _problems.Add(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
