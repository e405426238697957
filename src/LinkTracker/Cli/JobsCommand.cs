using System.CommandLine;
using LinkTracker.Core.Jobs;
using LinkTracker.Jobs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace LinkTracker.Cli;

/// <summary>
/// `linktracker jobs`: the running service's job queue, through its /ops/jobs endpoints (the embedded queue belongs to
/// the process that runs it, see ADR 4).
/// </summary>
internal static class JobsCommand
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm";

    public static Command Create()
    {
        var command = new Command("jobs", "Background jobs of the running service: pending jobs, dead letters, redrive, purge");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Dead());
        command.Subcommands.Add(Redrive());
        command.Subcommands.Add(Purge());
        return command;
    }

    private static Command List()
    {
        var url = OpsClient.Url();
        var data = OpsClient.Data();
        var limit = new Option<int>("--limit") { Description = "Most pending jobs to show", DefaultValueFactory = _ => 50 };
        var json = CliOptions.Json();
        var command = new Command("list", "Counts, the pending jobs (soonest due first) and outcomes per job type and tenant") { url, data, limit, json };
        command.SetAction((result, cancellationToken) => OpsClient.RunAsync(result, url, data, async ops =>
        {
            var path = $"/ops/jobs?limit={result.GetValue(limit)}";
            if (result.GetValue(json))
            {
                Console.WriteLine(await ops.GetRawAsync(path, cancellationToken));
                return 0;
            }

            var status = await ops.GetAsync<JobsStatusResponse>(path, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"Waiting [bold]{status.Waiting}[/] · running [bold]{status.Leased}[/] · dead [bold]{status.Dead}[/]");
            if (status.Pending.Count > 0)
            {
                var table = Columns("Due (UTC)", "State", "Last error");
                foreach (var job in status.Pending)
                {
                    var state = job.LeasedUntil is { } until ? $"running, lease until {until.UtcDateTime.ToString(TimeFormat)}" : "waiting";
                    table.AddRow(Cells(job.Id, job.Type, TenantOf(job.Tenant), $"{job.Attempts}", job.DueAt.UtcDateTime.ToString(TimeFormat), state, job.LastError ?? ""));
                }

                Print(table);
            }

            if (status.Outcomes.Count > 0)
            {
                var outcomes = new Table().Title("Outcomes since the service started").AddColumns("Type", "Tenant", "Succeeded", "Failed attempts", "Dead-lettered");
                foreach (var o in status.Outcomes)
                {
                    outcomes.AddRow(Cells(o.Type, TenantOf(o.Tenant), $"{o.Succeeded}", $"{o.Failed}", $"{o.DeadLettered}"));
                }

                Print(outcomes);
            }

            if (status.Dead > 0)
            {
                Console.WriteLine("Dead letters wait for you: see 'linktracker jobs dead'.");
            }

            return 0;
        }));
        return command;
    }

    private static Command Dead()
    {
        var url = OpsClient.Url();
        var data = OpsClient.Data();
        var id = new Argument<string?>("id") { Description = "Show this dead letter in full, with its payload", Arity = ArgumentArity.ZeroOrOne };
        var json = CliOptions.Json();
        var command = new Command("dead", "Dead letters (jobs that failed every attempt) with their last error") { id, url, data, json };
        command.SetAction((result, cancellationToken) => OpsClient.RunAsync(result, url, data, async ops =>
        {
            var one = result.GetValue(id);
            var path = one is null ? "/ops/jobs/dead?limit=1000" : $"/ops/jobs/dead/{Uri.EscapeDataString(one)}";
            if (result.GetValue(json))
            {
                Console.WriteLine(await ops.GetRawAsync(path, cancellationToken));
                return 0;
            }

            if (one is not null)
            {
                var job = await ops.GetAsync<DeadJob>(path, cancellationToken);
                var grid = new Grid().AddColumn().AddColumn();
                grid.AddRow(Cells("Id", job.Id));
                grid.AddRow(Cells("Type", job.Type));
                grid.AddRow(Cells("Tenant", TenantOf(job.Tenant)));
                grid.AddRow(Cells("Attempts", $"{job.Attempts}"));
                grid.AddRow(Cells("Enqueued (UTC)", job.EnqueuedAt.UtcDateTime.ToString(TimeFormat)));
                grid.AddRow(Cells("Died (UTC)", job.DiedAt.UtcDateTime.ToString(TimeFormat)));
                grid.AddRow(Cells("Last error", job.LastError));
                grid.AddRow(Cells("Payload", job.Payload));
                Print(grid);
                return 0;
            }

            var dead = await ops.GetAsync<DeadJobsResponse>(path, cancellationToken);
            if (dead.Items.Count == 0)
            {
                Console.WriteLine("No dead letters.");
                return 0;
            }

            var table = Columns("Died (UTC)", "Last error");
            foreach (var job in dead.Items)
            {
                table.AddRow(Cells(job.Id, job.Type, TenantOf(job.Tenant), $"{job.Attempts}", job.DiedAt.UtcDateTime.ToString(TimeFormat), job.LastError));
            }

            Print(table);
            Console.WriteLine(dead.Total > dead.Items.Count
                ? $"{dead.Items.Count} of {dead.Total} dead letters shown, oldest first."
                : $"{dead.Total} dead letter(s). Redrive with 'linktracker jobs redrive <id>' or '--all' once the cause is fixed.");
            return 0;
        }));
        return command;
    }

    private static Command Redrive()
    {
        var url = OpsClient.Url();
        var data = OpsClient.Data();
        var id = new Argument<string?>("id") { Description = "The dead letter to run again (see 'jobs dead')", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Run every dead letter again" };
        var command = new Command("redrive", "Put dead letters back in the queue with fresh attempts") { id, all, url, data };
        command.SetAction((result, cancellationToken) =>
        {
            var one = result.GetValue(id);
            var everyOne = result.GetValue(all);
            if ((one is null && !everyOne) || (one is not null && everyOne))
            {
                return Task.FromResult(CliErrors.Fail("Name one dead letter ('jobs redrive <id>') or pass --all, not both."));
            }

            return OpsClient.RunAsync(result, url, data, async ops =>
            {
                var path = one is null ? "/ops/jobs/dead/redrive" : $"/ops/jobs/dead/{Uri.EscapeDataString(one)}/redrive";
                var redriven = await ops.PostAsync<JobsChangedResponse>(path, cancellationToken);
                Console.WriteLine(one is null ? $"{redriven.Count} dead letter(s) put back in the queue." : $"Dead letter {one} put back in the queue.");
                return 0;
            });
        });
        return command;
    }

    private static Command Purge()
    {
        var url = OpsClient.Url();
        var data = OpsClient.Data();
        var command = new Command("purge", "Delete every dead letter for good") { url, data };
        command.SetAction((result, cancellationToken) => OpsClient.RunAsync(result, url, data, async ops =>
        {
            var purged = await ops.DeleteAsync<JobsChangedResponse>("/ops/jobs/dead", cancellationToken);
            Console.WriteLine($"{purged.Count} dead letter(s) deleted.");
            return 0;
        }));
        return command;
    }

    /// <summary>A job table. Ids never wrap, so they can be copied into 'jobs dead &lt;id&gt;' or 'jobs redrive &lt;id&gt;'.</summary>
    private static Table Columns(params string[] more) =>
        new Table().AddColumn(new TableColumn("Id").NoWrap()).AddColumns(["Type", "Tenant", "Tries", .. more]);

    private static void Print(IRenderable renderable)
    {
        // Piped or redirected output has no width to fit: one line per job suits grep and less.
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 240);
        }

        AnsiConsole.Write(renderable);
    }

    private static string TenantOf(string? tenant) => tenant ?? "-";

    /// <summary>Text cells: whatever the jobs hold is shown as is, never read as markup.</summary>
    private static Text[] Cells(params string[] values) => [.. values.Select(v => new Text(v))];
}
