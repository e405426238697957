using System.Diagnostics;

namespace LinkTracker.IntegrationTests.Infrastructure;

/// <summary>
/// PostgreSQL, Redis and RabbitMQ of a test's own, started by scripts/services.sh in a new folder, so the test may
/// restart them (fault injection) without disturbing the servers the other tests share. PostgreSQL runs with fsync
/// and synchronous commit on, as in production: a crash must not lose what it reported committed.
/// </summary>
public sealed class PrivateServices : IAsyncDisposable
{
    private readonly string _folder;
    private readonly Dictionary<string, string> _environment;

    private PrivateServices(string folder, Dictionary<string, string> environment)
    {
        _folder = folder;
        _environment = environment;
    }

    /// <summary>A superuser's connection string.</summary>
    public string Postgres => _environment["LINKTRACKER_TEST_POSTGRES"];

    public string Redis => _environment["LINKTRACKER_TEST_REDIS"];

    public string RabbitMq => _environment["LINKTRACKER_TEST_RABBITMQ"];

    public static async Task<PrivateServices> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lt-private-" + Guid.NewGuid().ToString("N")[..8]);
        var envFile = (await RunAsync(TimeSpan.FromMinutes(5), [("LINKTRACKER_SERVICES_DIR", folder), ("LINKTRACKER_SERVICES_DURABLE", "1")])).Trim();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(envFile))
        {
            if (line.StartsWith("export ", StringComparison.Ordinal) && line.IndexOf('=', StringComparison.Ordinal) is > 7 and var eq)
            {
                environment[line[7..eq]] = line[(eq + 1)..].Trim('"');
            }
        }

        return new PrivateServices(folder, environment);
    }

    /// <summary>PostgreSQL: pg_ctl restart -m immediate (a crash and recovery). RabbitMQ: stop and start, data kept.</summary>
    public Task RestartAsync(string server) => RunAsync(TimeSpan.FromMinutes(3), [], "restart", server, _folder);

    public async ValueTask DisposeAsync() => await RunAsync(TimeSpan.FromMinutes(2), [], "stop", _folder);

    private static async Task<string> RunAsync(TimeSpan timeout, (string Name, string Value)[] variables, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "services.sh"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"scripts/services.sh {string.Join(' ', args)} failed ({process.ExitCode}):\n{await error}");
        return await output;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LinkTracker.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No LinkTracker.slnx above {AppContext.BaseDirectory}.");
    }
}
