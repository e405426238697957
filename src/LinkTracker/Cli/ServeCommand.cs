using System.CommandLine;

namespace LinkTracker.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, e.g. http://127.0.0.1:5000 (default http://localhost:5000)" };
        var data = CliOptions.Data();
        var command = new Command("serve", "Run the service: redirects, click capture and writer, tenant API, metrics")
        {
            urls,
            data,
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

            await using var app = Program.BuildApp(CliOptions.HostArgs(result, data, [.. extra]));
            await app.RunAsync();
            return 0;
        });
        return command;
    }
}
