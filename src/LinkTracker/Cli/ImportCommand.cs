using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LinkTracker.Imports;
using LinkTracker.Reports;
using Spectre.Console;

namespace LinkTracker.Cli;

/// <summary>`linktracker import`: links from a CSV, YOURLS, Kutt or Shlink export (docs/import.md).</summary>
internal static class ImportCommand
{
    private const int RejectionsShown = 20;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The export to import" };
        var tenant = CliOptions.Tenant();
        var format = new Option<ImportFormat>("--format")
        {
            Description = "csv (code,url[,campaign,tags,createdAt,title,clicks]), yourls, kutt or shlink",
            Required = true,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check every row and report, write nothing" };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Rows created together, all or nothing (1-1000)",
            DefaultValueFactory = _ => 1000,
        };
        var data = CliOptions.Data();
        var json = CliOptions.Json();
        var command = new Command("import", "Import links (and their past click counts) from another link tracker's export; safe to run again")
        {
            file, tenant, format, dryRun, batchSize, data, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!.FullName;
            if (!File.Exists(path))
            {
                return CliErrors.Fail($"There is no file {path}.");
            }

            try
            {
                await using var app = Program.BuildApp(CliOptions.HostArgs(result, data));
                var importer = app.Services.GetRequiredService<LinkImporter>();
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
                var settings = new ImportSettings(result.GetValue(dryRun), result.GetValue(batchSize));
                var report = await WithProgressAsync(
                    (progress, ct) => importer.ImportAsync(result.GetValue(tenant)!, result.GetValue(format), stream, settings, progress, ct),
                    cancellationToken);
                return Print(report, path, result.GetValue(json));
            }
            catch (ImportFileException e)
            {
                return CliErrors.Fail(e.Message);
            }
            catch (Exception ex) when (CliErrors.Describe(ex) is { } message)
            {
                return CliErrors.Fail(message);
            }
        });
        return command;
    }

    /// <summary>A bar with rate and time left on a terminal; on a pipe or in CI, a plain line on standard error every few seconds.</summary>
    private static async Task<ImportReport> WithProgressAsync(
        Func<Action<ImportProgress>, CancellationToken, Task<ImportReport>> import, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string Line(ImportProgress p)
        {
            var rate = p.Rows / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
            var left = p.Done is > 0 and < 1 ? clock.Elapsed * ((1 - p.Done) / p.Done) : TimeSpan.Zero;
            return $"{p.Rows:N0} rows ({p.Done:P0}), {rate:N0} rows/s, about {left.TotalSeconds:N0} s left; {p.Created:N0} created, {p.Unchanged:N0} unchanged, {p.Rejected:N0} rejected";
        }

        var interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && AnsiConsole.Profile.Capabilities.Interactive;
        if (!interactive)
        {
            var last = TimeSpan.Zero;
            var report = await import(
                p =>
                {
                    if (clock.Elapsed - last >= TimeSpan.FromSeconds(2))
                    {
                        last = clock.Elapsed;
                        Console.Error.WriteLine($"import: {Line(p)}");
                    }
                },
                cancellationToken);
            return report;
        }

        return await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Importing", maxValue: 1);
                var report = await import(
                    p =>
                    {
                        task.Value = p.Done;
                        task.Description = Markup.Escape($"{p.Rows:N0} rows, {p.Rows / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0}/s");
                    },
                    cancellationToken);
                task.Value = 1;
                return report;
            });
    }

    private static int Print(ImportReport report, string path, bool json)
    {
        var rejectedFile = path + ".rejected.csv";
        if (!report.DryRun)
        {
            // Each run rewrites it: a file left by an earlier run would list rows this run may have taken.
            if (report.Rejected.Count > 0)
            {
                var csv = new StringBuilder("line,code,url,reason\r\n");
                foreach (var r in report.Rejected)
                {
                    csv.Append(r.Line).Append(',').Append(ReportCsv.Field(r.Code ?? "")).Append(',')
                        .Append(ReportCsv.Field(r.Url ?? "")).Append(',').Append(ReportCsv.Field(r.Reason)).Append("\r\n");
                }

                File.WriteAllText(rejectedFile, csv.ToString());
            }
            else
            {
                File.Delete(rejectedFile);
            }
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
            return report.Rejected.Count == 0 ? 0 : 1;
        }

        var verb = report.DryRun ? "would be created" : "created";
        Console.WriteLine(report.DryRun ? "Dry run: checked every row, wrote nothing." : "Import finished.");
        Console.WriteLine($"  rows read:            {report.Rows:N0}");
        Console.WriteLine($"  links {verb}: {report.Created:N0}");
        Console.WriteLine($"  already there (same destination), left as they are: {report.Unchanged:N0}");
        Console.WriteLine($"  repeated rows in the file: {report.Duplicates:N0}");
        if (!report.DryRun)
        {
            Console.WriteLine($"  past clicks in stats: {report.ClicksRecorded:N0} (history recorded or changed on {report.History:N0} links)");
        }

        Console.WriteLine($"  rejected:             {report.Rejected.Count:N0}");
        var shown = report.DryRun ? report.Rejected : report.Rejected.Take(RejectionsShown);
        foreach (var r in shown)
        {
            Console.WriteLine($"    line {r.Line}{(r.Code is null ? "" : $" ({r.Code})")}: {r.Reason}");
        }

        if (report.Rejected.Count > 0 && !report.DryRun)
        {
            Console.WriteLine($"  every rejected row, with its reason: {rejectedFile}");
        }

        if (report.Rejected.Count > 0)
        {
            Console.WriteLine("Fix or remove the rejected rows and run the same command again: rows already imported are left as they are.");
        }

        return report.Rejected.Count == 0 ? 0 : 1;
    }
}
