using System.CommandLine;

namespace LinkTracker.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, e.g. http://127.0.0.1:5000 (default http://localhost:5000)" };
        var data = CliOptions.Data();
        var role = new Option<string[]>("--role")
        {
            Description = "What this process does: edge (redirects), api (tenant API), worker (click writer, jobs) or all (default); repeat or comma-separate",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("serve", "Run the service: redirects, click capture and writer, tenant API, metrics")
        {
            urls,
            data,
            role,
        };
        // Anything else (e.g. --Writer:MaxTransactionsPerSecond=50) is passed to the configuration.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var extra = result.UnmatchedTokens.ToList();
            if (result.GetValue(urls) is { Length: > 0 } u)
            {
                extra.Add($"--urls={u}");
            }

            if (result.GetValue(role) is { Length: > 0 } roles)
            {
                extra.Add($"--Node:Roles={string.Join(',', roles)}");
            }

            try
            {
                await using var app = Program.BuildApp(CliOptions.HostArgs(result, data, [.. extra]));
                await app.RunAsync();
                return 0;
            }
            catch (Exception ex) when (CliErrors.Describe(ex) is { } message)
            {
                // Configuration that does not fit, a database that cannot be reached: say what to change, without a stack trace.
                return CliErrors.Fail(message);
            }
        });
        return command;
    }
}
