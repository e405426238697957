using System.Diagnostics;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Dashboard;

/// <summary>`linktracker users` as an operator runs it: the password on standard input, refusals as exit code 2 with the reason.</summary>
public sealed class UsersCliTests : IDisposable
{
    private readonly TempFolder _data = new();

    [Fact]
    public async Task Users_are_added_with_a_password_from_stdin_listed_and_removed()
    {
        Assert.Equal(0, (await LinkTrackerCommand.RunAsync("tenants", "add", "acme", "--data", _data.Path)).ExitCode);

        var added = await RunAsync("correct horse battery staple\n", "users", "add", "--tenant", "acme", "--email", "Ana@Example.com", "--role", "editor", "--data", _data.Path);
        var shortPassword = await RunAsync("short\n", "users", "add", "--tenant", "acme", "--email", "bob@example.com", "--data", _data.Path);
        var badRole = await RunAsync("correct horse battery staple\n", "users", "add", "--tenant", "acme", "--email", "bob@example.com", "--role", "admin", "--data", _data.Path);
        var noTenant = await RunAsync("correct horse battery staple\n", "users", "add", "--tenant", "globex", "--email", "bob@example.com", "--data", _data.Path);
        var listed = await RunAsync("", "users", "list", "--tenant", "acme", "--data", _data.Path);

        Assert.Equal(0, added.ExitCode);
        Assert.Contains("ana@example.com", added.Output);
        Assert.Equal((2, true), (shortPassword.ExitCode, shortPassword.Error.Contains("at least 12", StringComparison.Ordinal)));
        Assert.Equal((2, true), (badRole.ExitCode, badRole.Error.Contains("'viewer'", StringComparison.Ordinal)));
        Assert.Equal((2, true), (noTenant.ExitCode, noTenant.Error.Contains("no tenant 'globex'", StringComparison.Ordinal)));
        Assert.Contains("ana@example.com", listed.Output);
        Assert.Contains("editor", listed.Output);
        Assert.DoesNotContain("bob@example.com", listed.Output);

        Assert.Equal(0, (await RunAsync("", "users", "remove", "--tenant", "acme", "--email", "ana@example.com", "--data", _data.Path)).ExitCode);
        Assert.Equal(2, (await RunAsync("", "users", "remove", "--tenant", "acme", "--email", "ana@example.com", "--data", _data.Path)).ExitCode);
        Assert.DoesNotContain("ana@example.com", (await RunAsync("", "users", "list", "--tenant", "acme", "--data", _data.Path)).Output);
    }

    public void Dispose() => _data.Dispose();

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "linktracker.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
