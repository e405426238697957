using System.CommandLine;
using LinkTracker.Tenants;

namespace LinkTracker.Cli;

/// <summary>Runs an administrative verb against the configured data: refusals become exit code 2 with the reason.</summary>
internal static class CliHost
{
    public static async Task<int> WithAdminAsync(ParseResult result, Option<string?> data, Func<TenantAdmin, Task<int>> verb)
    {
        try
        {
            // Building the host validates the configuration; resolving the admin opens nothing yet.
            await using var app = Program.BuildApp(CliOptions.HostArgs(result, data));
            return await verb(app.Services.GetRequiredService<TenantAdmin>());
        }
        catch (Exception ex) when (CliErrors.Describe(ex) is { } message)
        {
            // Bad settings, an unreachable server, a refusal of the engine: its message says what to fix.
            return CliErrors.Fail(message);
        }
    }
}
