using System.Diagnostics;
using System.Text.Json;

namespace LinkTracker.Bench.Infrastructure;

/// <summary>The operator's side: `linktracker tenants add` before the server starts (so its tenant snapshot has them).</summary>
public static class LinkTrackerCli
{
    public sealed record CreatedTenant(string Tenant, string ApiKey, string KeyId);

    public static Task<CreatedTenant> AddTenantAsync(RepoPaths paths, string dataDirectory, string slug, CancellationToken cancellationToken) =>
        AddTenantAsync(paths, dataDirectory, slug, new Dictionary<string, string>(), cancellationToken);

    /// <summary>With settings as LINKTRACKER__Section__Key variables (e.g. PostgreSQL storage, kept off the command line).</summary>
    public static async Task<CreatedTenant> AddTenantAsync(
        RepoPaths paths, string dataDirectory, string slug, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var arg in (string[])[paths.LinkTrackerDll, "tenants", "add", slug, "--data", dataDirectory, "--json"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start linktracker");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"linktracker tenants add {slug} failed ({process.ExitCode}): {await error}");
        }

        var json = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.TrimStart().StartsWith('{'));
        return JsonSerializer.Deserialize<CreatedTenant>(json, Json.Options) ?? throw new InvalidOperationException("empty tenants add output");
    }

    public sealed record CliRun(int ExitCode, string Output, string Error, TimeSpan Elapsed);

    /// <summary>Any verb, timed from process start to exit, with settings as LINKTRACKER__Section__Key variables.</summary>
    public static Task<CliRun> RunAsync(
        RepoPaths paths, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
        RunAsync(paths, args, environment, null, cancellationToken);

    /// <summary>As above, with <paramref name="input"/> on standard input (e.g. the password of `users add`).</summary>
    public static async Task<CliRun> RunAsync(
        RepoPaths paths, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string? input, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(paths.LinkTrackerDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start linktracker");
        if (input is not null)
        {
            await process.StandardInput.WriteLineAsync(input.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new CliRun(process.ExitCode, await output, await error, clock.Elapsed);
    }
}
