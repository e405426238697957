using System.CommandLine;
using System.Diagnostics;

namespace LinkTracker.Cli;

/// <summary>`linktracker segments`: the operator's side of tenants' segments (ADR 31).</summary>
internal static class SegmentsCommand
{
    public static Command Create()
    {
        var command = new Command("segments", "The operator's side of tenants' segments");
        command.Subcommands.Add(Index());
        return command;
    }

    private static Command Index()
    {
        var slug = new Argument<string>("slug") { Description = "The tenant whose clicks get (or lose) the index" };
        var drop = new Option<bool>("--drop") { Description = "Remove the index: the tenant's clicks are written at full speed again" };
        var status = new Option<bool>("--status") { Description = "Only say whether the tenant has the index" };
        var data = CliOptions.Data();
        var command = new Command("index",
            "Build the index of one tenant's clicks by recipient: its \"at least N clicks\" segments run about twice as fast, "
            + "and each of its clicks costs the writer more (docs/runbook.md#frequency-segments). Safe to run again; "
            + "the service may be running.")
        {
            slug, drop, status, data,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(drop) && result.GetValue(status))
            {
                result.AddError("Give --drop or --status, not both.");
            }
        });
        command.SetAction((result, cancellationToken) => CliHost.WithAdminAsync(result, data, async admin =>
        {
            var tenant = result.GetValue(slug)!;
            if (result.GetValue(status))
            {
                var exists = await admin.HasRecipientIndexAsync(tenant, cancellationToken);
                Console.WriteLine(exists ? $"Tenant {tenant} has the recipient index." : $"Tenant {tenant} has no recipient index.");
                return 0;
            }

            if (result.GetValue(drop))
            {
                var dropped = await admin.DropRecipientIndexAsync(tenant, cancellationToken);
                Console.WriteLine(dropped ? $"Recipient index of tenant {tenant} dropped." : $"Tenant {tenant} had no recipient index; nothing to drop.");
                return 0;
            }

            var clock = Stopwatch.StartNew();
            await admin.BuildRecipientIndexAsync(tenant, cancellationToken);
            Console.WriteLine($"Recipient index of tenant {tenant} ready ({clock.Elapsed.TotalSeconds:0.0} s).");
            return 0;
        }));
        return command;
    }
}
