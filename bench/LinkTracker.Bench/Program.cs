using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Results;
using LinkTracker.Bench.Scenarios;

namespace LinkTracker.Bench;

public static class Program
{
    private const string Usage = """
        LinkTracker benchmark: starts the Release build of linktracker (and a bare 302 server) on 127.0.0.1,
        runs the scenarios and writes bench/results/<UTC time>-<mode>.md/.json and latest.md/.json.

        usage: bash bench/run.sh [--quick] [--scenario a,b,c,d,e,f,burst,import] [--engines sqlite,postgres] [--segment-clicks N] [--set Key=Value ...] [--out <folder>] [--keep-data]
          --quick      about a minute in all (default: full, about 45 minutes on 2 cores)
          --scenario   which scenarios (default: all; with --quick a,b,c,d): a redirects, b email blast, c cache, d stats,
                       e distributed (a and b on edge/api/worker processes with PostgreSQL, RabbitMQ, Redis; needs root
                       for scripts/services.sh; its setup alone takes about 40 s, so --quick runs it only when named),
                       f segments (typical segments' run p95 on many clicks, a pathological one refused and stopped while
                       another tenant's stats are timed, dashboard pages' p95; on SQLite and on PostgreSQL, which needs root;
                       --quick runs it only when named),
                       burst (capture mode x 64/256/1,024 connections x writer batch 50/1,000, embedded and through an edge;
                       the edge half needs root too; a few minutes even with --quick, so --quick runs it only when named),
                       import (a 100,000-link CSV imported twice on SQLite and PostgreSQL; needs root; same size in both modes),
                       drain (the writers' drain rates alone: embedded journal -> SQLite, RabbitMQ -> PostgreSQL with 1 and 2 workers;
                       needs root; 100,000 clicks with --quick, 1,000,000 without; only when named)
          --engines    the engines scenario f runs on (default: sqlite,postgres)
          --segment-clicks  scenario f's clicks (default: 200,000 quick, 10,000,000 full; recipients a tenth of it)
          --set        a linktracker setting for every server the bench starts, e.g. --set Writer:BatchSize=2000
          --out        results folder (default: bench/results)
          --keep-data  leave the servers' data folders in place (and scenario f's PostgreSQL running, to EXPLAIN against)

        Exit code: 0, or 1 when any click was lost or duplicated, or stored differs from what the service captured or its
        writer inserted, or the writer met a click twice; or 2 when a scenario could not run.
        """;

    public static async Task<int> Main(string[] args)
    {
        var quick = false;
        var keep = false;
        string? outFolder = null;
        string? selected = null;
        var settings = new List<string>();
        string[] engines = ["sqlite", "postgres"];
        int? segmentClicks = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--keep-data":
                    keep = true;
                    break;
                case "--scenario" or "--scenarios" when i + 1 < args.Length:
                    selected = args[++i];
                    break;
                case "--set" when i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal):
                    settings.Add(args[++i]);
                    break;
                case "--engines" when i + 1 < args.Length:
                    engines = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (engines.Length == 0 || engines.Any(e => e is not ("sqlite" or "postgres")))
                    {
                        Console.Error.WriteLine($"--engines takes sqlite, postgres or both (comma-separated)\n\n{Usage}");
                        return 2;
                    }

                    break;
                case "--segment-clicks" when i + 1 < args.Length && int.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1_000:
                    segmentClicks = n;
                    i++;
                    break;
                case "--out" when i + 1 < args.Length:
                    outFolder = args[++i];
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'\n\n{Usage}");
                    return 2;
            }
        }

        IScenario[] all = [new RedirectScenario(), new EmailBlastScenario(), new CacheScenario(), new StatsScenario(), new DistributedScenario(), new SegmentsScenario(), new BurstScenario(), new ImportScenario(), new DrainScenario()];
        // Scenarios e and burst start three servers and several processes (about 40 s before any load): not part of the one-minute quick run.
        selected ??= quick ? "a,b,c,d" : "a,b,c,d,e,f,burst,import";
        var ids = selected.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.FirstOrDefault(id => all.All(s => s.Id != id)) is { } unknown)
        {
            Console.Error.WriteLine($"unknown scenario '{unknown}'; choose among {string.Join(',', all.Select(s => s.Id))}");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var paths = RepoPaths.Find();
        paths.RequireBuilt();
        var sizes = quick ? Sizes.Quick : Sizes.Full;
        if (segmentClicks is { } clicks)
        {
            // Between the two sizes, e.g. to look at a plan on a database that loads in minutes: recipients as in full (1 per 10 clicks).
            sizes = sizes with { SegmentClicks = clicks, SegmentRecipients = clicks / 10 };
        }

        var work = Directory.CreateTempSubdirectory("linktracker-bench-").FullName;
        var context = new BenchContext(paths, sizes, work, settings) { Engines = engines, KeepData = keep };
        context.Log($"{sizes.Mode} run; servers' data and logs under {work}{(keep ? "" : " (removed at the end; --keep-data keeps them)")}");
        var report = new BenchReport
        {
            StartedAt = DateTimeOffset.UtcNow,
            Mode = sizes.Mode,
            Arguments = args,
            Machine = await MachineInfo.ReadAsync(paths.Root, cancel.Token),
        };

        var crashed = false;
        var results = outFolder ?? Path.Combine(paths.Root, "bench", "results");
        var written = "";
        foreach (var scenario in all.Where(s => ids.Contains(s.Id)))
        {
            var result = new ScenarioReport(scenario.Id, scenario.Title);
            report.Scenarios.Add(result);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await scenario.RunAsync(context, result, cancel.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancel.IsCancellationRequested)
            {
                crashed = true;
                result.Skipped = $"failed: {ex.GetType().Name}: {ex.Message}";
                context.Log($"({scenario.Id}) failed: {ex}");
            }

            result.Seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
            context.Log($"({scenario.Id}) done in {result.Seconds:0} s");

            // Written after every scenario, so a long run that is stopped still leaves what it measured.
            report.FinishedAt = DateTimeOffset.UtcNow;
            written = await ReportWriter.WriteAsync(report, results, CancellationToken.None);
        }

        context.Log($"results: {written} (and latest.md, latest.json)");
        if (!keep)
        {
            TryDelete(work);
        }

        if (!report.IntegrityOk)
        {
            Console.Error.WriteLine("FAILED: clicks were lost or duplicated, or stored differs from what the service counted (see the integrity tables).");
            return 1;
        }

        return crashed ? 2 : 0;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }
}
