using System.CommandLine;
using LinkTracker.Tenants;

namespace LinkTracker.Cli;

/// <summary>Runs an administrative verb against the configured data: refusals become exit code 2 with the reason.</summary>
internal static class CliHost
{
    public static async Task<int> WithAdminAsync(ParseResult result, Option<string?> data, Func<TenantAdmin, Task<int>> verb)
    {
        await using var app = Program.BuildApp(CliOptions.HostArgs(result, data));
        try
        {
            return await verb(app.Services.GetRequiredService<TenantAdmin>());
        }
        catch (TenantAdminException ex)
        {
            return CliErrors.Fail(ex.Message);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Core.Common.SchemaTooNewException or Core.Common.SchemaTooOldException)
        {
            // The engine refused (e.g. PostgreSQL provisioning without the owner login): its message says why.
            return CliErrors.Fail(ex.Message);
        }
    }
}
