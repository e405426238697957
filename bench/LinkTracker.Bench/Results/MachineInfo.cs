using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LinkTracker.Bench.Results;

/// <summary>The machine, runtime and commit the figures belong to.</summary>
public sealed record MachineInfo(
    int Cores, string Cpu, long MemoryBytes, string Os, string Kernel, string Runtime, string Sdk, string Commit, bool UncommittedChanges, string LoadAverageAtStart)
{
    public static async Task<MachineInfo> ReadAsync(string repoRoot, CancellationToken cancellationToken)
    {
        var cpu = ReadProc("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKb = ReadProc("/proc/meminfo", "MemTotal", ':')?.Split(' ')[0];
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? (await File.ReadAllTextAsync("/proc/sys/kernel/osrelease", cancellationToken)).Trim() : "";
        var commit = (await RunAsync("git", ["-C", repoRoot, "rev-parse", "HEAD"], cancellationToken)).Trim();
        var status = await RunAsync("git", ["-C", repoRoot, "status", "--porcelain"], cancellationToken);
        var sdk = (await RunAsync("dotnet", ["--version"], cancellationToken)).Trim();
        return new MachineInfo(
            Environment.ProcessorCount,
            cpu,
            memKb is null ? 0 : long.Parse(memKb, System.Globalization.CultureInfo.InvariantCulture) * 1024,
            RuntimeInformation.OSDescription,
            kernel,
            RuntimeInformation.FrameworkDescription,
            sdk,
            commit.Length > 0 ? commit : "unknown",
            status.Trim().Length > 0,
            File.Exists("/proc/loadavg") ? string.Join(' ', (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ').Take(3)) : "");
    }

    private static string? ReadProc(string path, string key, char separator)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(separator) + 1)..].Trim();
    }

    private static async Task<string> RunAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return "";
            }

            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0 ? output : "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}
