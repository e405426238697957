using System.CommandLine;
using LinkTracker.Clicks;
using LinkTracker.RabbitMq.Clicks;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace LinkTracker.Cli;

/// <summary>
/// `linktracker clicks`: click messages the writers could not read, kept in the broker's dead-letter queue, through the
/// running service's /ops/clicks/dead endpoints (distributed deployment: an api or worker node).
/// </summary>
internal static class ClicksCommand
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm";

    public static Command Create()
    {
        var command = new Command("clicks", "Click messages no writer could read (broker dead letters): list, redrive, purge");
        command.Subcommands.Add(Dead());
        command.Subcommands.Add(Redrive());
        command.Subcommands.Add(Purge());
        return command;
    }

    private static Command Dead()
    {
        var url = OpsClient.Url();
        var data = OpsClient.Data();
        var id = new Argument<string?>("id") { Description = "Show this dead letter in full", Arity = ArgumentArity.ZeroOrOne };
        var json = CliOptions.Json();
        var command = new Command("dead", "Click dead letters: tenant, why, size, format version, whether this LinkTracker reads them") { id, url, data, json };
        command.SetAction((result, cancellationToken) => OpsClient.RunAsync(result, url, data, async ops =>
        {
            var one = result.GetValue(id);
            var path = one is null ? "/ops/clicks/dead?limit=1000" : $"/ops/clicks/dead/{Uri.EscapeDataString(one)}";
            if (result.GetValue(json))
            {
                Console.WriteLine(await ops.GetRawAsync(path, cancellationToken));
                return 0;
            }

            if (one is not null)
            {
                var message = await ops.GetAsync<DeadClickMessage>(path, cancellationToken);
                var grid = new Grid().AddColumn().AddColumn();
                grid.AddRow(Cells("Id", message.Id));
                grid.AddRow(Cells("Tenant", message.Tenant ?? "unknown"));
                grid.AddRow(Cells("Reason", $"{message.Reason ?? "-"} ({message.Deaths} time(s))"));
                grid.AddRow(Cells("Died (UTC)", message.DiedAt?.UtcDateTime.ToString(TimeFormat) ?? "-"));
                grid.AddRow(Cells("Size", $"{message.Bytes} bytes"));
                grid.AddRow(Cells("Format version", message.Version?.ToString() ?? "-"));
                grid.AddRow(Cells("First bytes", message.FirstBytes));
                grid.AddRow(Cells("This LinkTracker", Readable(message)));
                Print(grid);
                return 0;
            }

            var dead = await ops.GetAsync<DeadClicksResponse>(path, cancellationToken);
            if (dead.Items.Count == 0)
            {
                Console.WriteLine("No click dead letters.");
                return 0;
            }

            var table = new Table().AddColumn(new TableColumn("Id").NoWrap())
                .AddColumns("Tenant", "Reason", "Died (UTC)", "Bytes", "Version", "This LinkTracker");
            foreach (var m in dead.Items)
            {
                table.AddRow(Cells(m.Id, m.Tenant ?? "unknown", $"{m.Reason ?? "-"} ({m.Deaths})", m.DiedAt?.UtcDateTime.ToString(TimeFormat) ?? "-",
                    $"{m.Bytes}", m.Version?.ToString() ?? "-", Readable(m)));
            }

            Print(table);
            Console.WriteLine(dead.Total > dead.Items.Count
                ? $"{dead.Items.Count} of {dead.Total} click dead letters shown, oldest first."
                : $"{dead.Total} click dead letter(s). Once the writers read them (e.g. after an upgrade), send them back with 'linktracker clicks redrive <id>' or '--all'.");
            return 0;
        }));
        return command;
    }

    private static Command Redrive()
    {
        var url = OpsClient.Url();
        var data = OpsClient.Data();
        var id = new Argument<string?>("id") { Description = "The dead letter to send back (see 'clicks dead')", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Send every dead letter back" };
        var command = new Command("redrive", "Send click dead letters back to their tenant's queue, for the writers to read again") { id, all, url, data };
        command.SetAction((result, cancellationToken) =>
        {
            var one = result.GetValue(id);
            var everyOne = result.GetValue(all);
            if ((one is null && !everyOne) || (one is not null && everyOne))
            {
                return Task.FromResult(CliErrors.Fail("Name one dead letter ('clicks redrive <id>') or pass --all, not both."));
            }

            return OpsClient.RunAsync(result, url, data, async ops =>
            {
                var path = one is null ? "/ops/clicks/dead/redrive" : $"/ops/clicks/dead/{Uri.EscapeDataString(one)}/redrive";
                var redriven = await ops.PostAsync<DeadClicksChangedResponse>(path, cancellationToken);
                Console.WriteLine(one is null ? $"{redriven.Count} click dead letter(s) sent back to their tenants' queues." : $"Click dead letter {one} sent back to its tenant's queue.");
                if (redriven.Kept > 0)
                {
                    Console.WriteLine($"{redriven.Kept} stayed: nothing tells which tenant they came from (see 'clicks dead').");
                }

                return 0;
            });
        });
        return command;
    }

    private static Command Purge()
    {
        var url = OpsClient.Url();
        var data = OpsClient.Data();
        var command = new Command("purge", "Delete every click dead letter for good (their clicks are lost)") { url, data };
        command.SetAction((result, cancellationToken) => OpsClient.RunAsync(result, url, data, async ops =>
        {
            var purged = await ops.DeleteAsync<DeadClicksChangedResponse>("/ops/clicks/dead", cancellationToken);
            Console.WriteLine($"{purged.Count} click dead letter(s) deleted.");
            return 0;
        }));
        return command;
    }

    private static string Readable(DeadClickMessage message) => message.Problem is null
        ? $"reads {message.Clicks} click(s)"
        : message.Clicks is { } clicks ? $"reads {clicks} click(s), but: {message.Problem}" : $"cannot read: {message.Problem}";

    private static void Print(IRenderable renderable)
    {
        // Piped or redirected output has no width to fit: one line per message suits grep and less.
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 240);
        }

        AnsiConsole.Write(renderable);
    }

    /// <summary>Text cells: whatever the messages hold is shown as is, never read as markup.</summary>
    private static Text[] Cells(params string[] values) => [.. values.Select(v => new Text(v))];
}
