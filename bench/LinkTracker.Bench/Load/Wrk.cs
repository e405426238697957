using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LinkTracker.Bench.Load;

/// <summary>
/// wrk (Debian's package), an independent load generator in C with one thread: a cross-check of the bench's own
/// closed loop. Each request has its own ?r= recipient (a Lua script), so every tracked redirect is a new click.
/// Optionally pinned to one core (taskset) while the server is pinned to the others.
/// </summary>
public static partial class Wrk
{
    private const string Script = """
        local counter = 0
        local prefix = "wrk"
        local agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
        function init(args)
          prefix = args[1]
          links = tonumber(args[2])
        end
        function request()
          counter = counter + 1
          return wrk.format("GET", "/a" .. (counter % links) .. "?r=" .. prefix .. "-" .. counter, {["User-Agent"] = agent})
        end
        """;

    public static string? Executable { get; } = Find("wrk");

    public static string? Taskset { get; } = Find("taskset");

    /// <summary>Runs wrk once; <paramref name="prefix"/> makes this run's recipients distinct from every other run's.</summary>
    public static async Task<WrkRun> RunAsync(
        Uri address, string host, int connections, TimeSpan duration, int links, string prefix, int? core, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Path.GetTempPath(), "linktracker-bench-wrk.lua");
        await File.WriteAllTextAsync(script, Script, cancellationToken);
        string[] wrk =
        [
            Executable ?? throw new InvalidOperationException("wrk is not installed (apt-get install wrk)"),
            "-t1", $"-c{connections}", $"-d{Math.Max(1, (int)duration.TotalSeconds)}s", "--latency", "--timeout", "10s",
            "-H", $"Host: {host}", "-s", script, address.GetLeftPart(UriPartial.Authority) + "/", "--", prefix,
            links.ToString(CultureInfo.InvariantCulture),
        ];
        string[] command = core is { } c && Taskset is { } taskset ? [taskset, "-c", c.ToString(CultureInfo.InvariantCulture), .. wrk] : wrk;
        var output = await RunToEndAsync(command, cancellationToken);
        return Parse(output);
    }

    /// <summary>Pins every thread of a process to the given cores ("1", "0,1"); false when taskset is missing or refused.</summary>
    public static async Task<bool> PinAsync(int pid, string cores, CancellationToken cancellationToken)
    {
        if (Taskset is null)
        {
            return false;
        }

        try
        {
            await RunToEndAsync([Taskset, "-a", "-p", "-c", cores, pid.ToString(CultureInfo.InvariantCulture)], cancellationToken);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static WrkRun Parse(string output)
    {
        double rps = Number(RequestsPerSecond().Match(output), 1);
        var total = RequestsTotal().Match(output);
        var requests = total.Success ? long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var non3xx = NonSuccess().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var errors = SocketErrors().Match(output) is { Success: true } e
            ? e.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        return new WrkRun(rps, requests, non3xx, errors, Percentile(output, "50"), Percentile(output, "90"), Percentile(output, "99"), output);
    }

    private static double Percentile(string output, string p)
    {
        var match = Regex.Match(output, @"^\s+" + p + @"(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static double Number(Match match, int group) =>
        match.Success ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : double.NaN;

    private static async Task<string> RunToEndAsync(string[] command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(command[0])} exited with {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsTotal();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}

/// <summary>What one wrk run printed: answered requests (Requests includes non-3xx ones), socket errors, latency in ms.</summary>
public sealed record WrkRun(double RequestsPerSecond, long Requests, long NonSuccess, long SocketErrors, double P50Ms, double P90Ms, double P99Ms, string Output)
{
    /// <summary>Redirects the client saw (wrk counts 3xx as success).</summary>
    public long Redirects => Requests - NonSuccess;
}
