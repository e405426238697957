using System.CommandLine;

namespace LinkTracker.Cli;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var tenants = new Option<string[]>("--tenant") { Description = "Only these tenants (repeat the option): a canary before the rest" };
        var data = CliOptions.Data();
        var command = new Command("migrate", "Upgrade the catalog, then each tenant's storage; safe to run again after a crash") { tenants, data };
        command.SetAction((result, cancellationToken) => CliHost.WithAdminAsync(result, data, async admin =>
        {
            var results = await admin.MigrateAsync(
                result.GetValue(tenants) ?? [],
                (tenant, done, total) => Console.WriteLine($"[{done}/{total}] {tenant}"),
                cancellationToken);
            var failed = results.Where(r => r.Problem is not null).ToList();
            foreach (var (tenant, problem) in failed)
            {
                Console.Error.WriteLine($"error: {tenant}: {problem}");
            }

            Console.WriteLine($"Catalog up to date; {results.Count - failed.Count} of {results.Count} tenants up to date.");
            return failed.Count == 0 ? 0 : 2;
        }));
        return command;
    }
}
