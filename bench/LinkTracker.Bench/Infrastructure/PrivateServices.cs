using System.Diagnostics;
using System.Globalization;

namespace LinkTracker.Bench.Infrastructure;

/// <summary>
/// PostgreSQL, Redis and RabbitMQ of the bench's own on 127.0.0.1, started by scripts/services.sh in a new folder
/// (needs root) and stopped, folder and all, at the end.
/// </summary>
public sealed class PrivateServices : IAsyncDisposable
{
    private readonly RepoPaths _paths;
    private readonly Dictionary<string, string> _environment;
    private bool _stopped;

    private PrivateServices(RepoPaths paths, string folder, Dictionary<string, string> environment)
    {
        _paths = paths;
        Folder = folder;
        _environment = environment;
    }

    public string Folder { get; }

    /// <summary>The superuser's connection string (database "linktracker").</summary>
    public string Postgres => _environment["LINKTRACKER_TEST_POSTGRES"];

    public string Redis => _environment["LINKTRACKER_TEST_REDIS"];

    public string RabbitMq => _environment["LINKTRACKER_TEST_RABBITMQ"];

    /// <summary>The postmaster (its backends are its children), for CPU accounting of its process tree.</summary>
    public int? PostgresPid => ReadPid(Path.Combine(Folder, "postgres", "data", "postmaster.pid"));

    /// <summary>The broker's Erlang VM.</summary>
    public int? RabbitMqPid => ReadPid(Path.Combine(Folder, "rabbitmq", "rabbitmq.pid"));

    public int? RedisPid => ReadPid(Path.Combine(Folder, "redis", "redis.pid"));

    public static async Task<PrivateServices> StartAsync(RepoPaths paths, string folder, CancellationToken cancellationToken)
    {
        var envFile = (await RunAsync(paths, TimeSpan.FromMinutes(5), folder, cancellationToken)).Trim();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(envFile, cancellationToken))
        {
            if (line.StartsWith("export ", StringComparison.Ordinal) && line.IndexOf('=', StringComparison.Ordinal) is > 7 and var eq)
            {
                environment[line[7..eq]] = line[(eq + 1)..].Trim('"');
            }
        }

        return new PrivateServices(paths, folder, environment);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await RunAsync(_paths, TimeSpan.FromMinutes(2), null, CancellationToken.None, "stop", Folder);
        }
    }

    private static int? ReadPid(string file) =>
        File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault()?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    private static async Task<string> RunAsync(RepoPaths paths, TimeSpan timeout, string? folder, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(paths.Root, "scripts", "services.sh"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (folder is not null)
        {
            start.Environment["LINKTRACKER_SERVICES_DIR"] = folder;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start scripts/services.sh");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"scripts/services.sh {string.Join(' ', args)} failed ({process.ExitCode}) (it needs root): {await error}");
    }
}
