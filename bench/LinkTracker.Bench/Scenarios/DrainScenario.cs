using System.Diagnostics;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// Drain rates (#16): how fast the writers empty a backlog, measured alone, without redirects competing for the CPU.
/// Embedded: a linktracker without the worker role journals the clicks, stops, and a copy of its data folder is started
/// per writer cap with every role, so the writer drains the journal from disk. Distributed: an edge forwards the clicks
/// into RabbitMQ while no worker runs, then one or two workers drain the queue into PostgreSQL
/// (<see cref="DistributedDrain"/>). Each run ends with the audit: stored = 302s received = captured = rows inserted,
/// no click stored or met twice.
/// </summary>
public sealed class DrainScenario : IScenario
{
    public const int Links = 300;
    public const int BatchSize = 1000;
    public const int DefaultCap = 20;
    public const int Uncapped = 10_000;
    public const string Campaign = "drain-campaign";
    public const int FillConnections = 64;
    private const string Tenant = "drain";
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(15);

    public string Id => "drain";

    public string Title => "Drain rates: the embedded writer (journal → SQLite) and the workers (RabbitMQ → PostgreSQL), each alone";

    /// <summary>Clicks in each backlog: 100,000 with --quick, 1,000,000 without.</summary>
    public static long Clicks(BenchContext context) => context.Sizes.Mode == "quick" ? 100_000 : 1_000_000;

    public static string[] Codes { get; } = [.. Enumerable.Range(0, Links).Select(i => $"d{i}")];

    public static NewLink[] NewLinks => [.. Codes.Select(c => new NewLink(Figures.Destination, c, Campaign))];

    public async Task RunAsync(BenchContext context, ScenarioReport report, CancellationToken cancellationToken)
    {
        report.Notes.Add($"Load average (1, 5, 15 min) when the scenario began: {DistributedScenario.LoadAverage()}.");
        report.Notes.Add($"Each backlog: {Clicks(context):#,0} redirects on {Links} links of one campaign, every one with its own ?r= recipient and a browser "
            + $"User-Agent, sent closed-loop on {FillConnections} connections with Capture:Mode=Buffered (the fill is not measured; Buffered only makes it "
            + "quicker). The rate is the writers' own counters (/ops/writer: rows inserted + duplicates, transactions), read every 100 ms from the first "
            + "reading once every writer is ready until everything is written: the processes' start is not in it (*before the window* says what was "
            + "already written by then).");
        report.Notes.Add("*Burst absorbed* = 60 s × drain rate: a burst of B clicks arriving at once on top of traffic the writer keeps up with is written "
            + "first in, first out at the drain rate D, so its last click is written B / D seconds after it arrived, the highest lag (age of the oldest "
            + "waiting click) the burst causes; B / D ≤ 60 s gives B ≤ 60 × D. When other tenants' steady traffic A shares the writer (one transaction per "
            + "tenant per round), the burst's tenant drains at D − A and the figure is 60 × (D − A).");
        var rows = new Table(
            "Drain rates (one writer's window: from the first reading after start until every click is written)",
            "Deployment", "Writers", "Cap, tx/s", "Batch", "Clicks", "Clicks/s", "Transactions/s", "Clicks / tx", "Cap × batch, clicks/s",
            "Burst absorbed (60 s × clicks/s)", "Window, s", "Before the window", "Writer cores (µs CPU / click)", "PostgreSQL / RabbitMQ cores (µs CPU / click)",
            "Machine cores", "");
        report.Tables.Add(rows);
        await RunEmbeddedAsync(context, report, rows, cancellationToken);
        await DistributedDrain.RunAsync(context, report, rows, cancellationToken);
        report.Notes.Add($"Load average when the scenario ended: {DistributedScenario.LoadAverage()}.");
    }

    /// <summary>One row of the table and its figures under <paramref name="key"/>; cap and batch as the writer reports them (--set may change them).</summary>
    public static void Add(
        ScenarioReport report, Table rows, string key, string deployment, int writers, WriterStatus writer, long clicks, DrainMeter.Result drain, Integrity audit)
    {
        var (cap, batch) = (writer.MaxTransactionsPerSecond, writer.BatchSize);
        report.Figure($"{key}.cap", cap);
        report.Figure($"{key}.batch", batch);
        // CPU per click written: comparable between runs on a busy machine where the cores a part got are not.
        string Cpu(string part)
        {
            if (!drain.Cores.TryGetValue(part, out var cores))
            {
                return "";
            }

            var micros = drain.Written > 0 ? cores * drain.Seconds / drain.Written * 1e6 : double.NaN;
            report.Figure($"{key}.{part}_us_per_click", micros);
            return $"{ScenarioReport.Format(cores)} ({ScenarioReport.Format(micros)})";
        }

        var rate = drain.ClicksPerSecond;
        report.Figure($"{key}.clicks", clicks);
        report.Figure($"{key}.clicks_per_second", rate);
        report.Figure($"{key}.transactions_per_second", drain.TransactionsPerSecond);
        report.Figure($"{key}.clicks_per_transaction", drain.ClicksPerTransaction);
        report.Figure($"{key}.burst_absorbed_60s", 60 * rate);
        report.Figure($"{key}.window_seconds", drain.Seconds);
        report.Figure($"{key}.written_before_window", drain.BeforeWindow);
        foreach (var (part, cores) in drain.Cores)
        {
            report.Figure($"{key}.{part}_cores", cores);
        }

        report.Series[$"{key}.progress"] = drain.Progress;
        report.Integrity.Add(audit);
        rows.Add(
            deployment, writers, cap, batch, clicks, rate, drain.TransactionsPerSecond, drain.ClicksPerTransaction, (double)cap * batch, 60 * rate,
            drain.Seconds, drain.BeforeWindow, Cpu(drain.Cores.ContainsKey("writer") ? "writer" : "worker"),
            drain.Cores.ContainsKey("postgres") ? $"{Cpu("postgres")} / {Cpu("rabbitmq")}" : "(SQLite: in the writer)", drain.Cores["machine"],
            audit.Ok && drain.Drained ? "ok" : "**FAIL**");
    }

    /// <summary>Waits until the process has journaled (or failed to journal) at least this many clicks; its last status.</summary>
    public static async Task<WriterStatus> WaitCapturedAsync(OpsClient ops, long count, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 120);
        while (true)
        {
            var status = await ops.GetWriterAsync(cancellationToken);
            if (status.Captured + status.CaptureFailures >= count || Stopwatch.GetTimestamp() > deadline)
            {
                return status;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>A closed-loop fill of the backlog: every request its own recipient, on the links in turn.</summary>
    public static async Task<LoadRun> FillAsync(
        BenchContext context, IReadOnlyList<(Uri Address, string Host)> targets, RecipientLedger ledger, ServerProcess? server, CancellationToken cancellationToken)
    {
        var clicks = Clicks(context);
        using var load = new LoadGenerator(targets, FillConnections);
        var run = await load.RunClosedAsync("fill", ledger, (i, _) => Codes[i % Codes.Length], TimeSpan.FromMinutes(30), clicks, server, cancellationToken);
        context.Log($"(drain) filled: {run.Completed:#,0} redirects in {run.Seconds:0} s ({run.RequestsPerSecond:#,0}/s), {run.Unexpected(302)} not 302");
        return run;
    }

    private static async Task RunEmbeddedAsync(BenchContext context, ScenarioReport report, Table rows, CancellationToken cancellationToken)
    {
        // The embedded node refuses to run without its writer, so the fill's writer is held to a click a second (batch 1, cap 1).
        context.Log("(drain) embedded: linktracker with its writer held to 1 click/s journals the backlog");
        var ledger = new RecipientLedger("drain-");
        WriterStatus filled;
        var fillFolder = context.NewFolder("drain-fill");
        var key = (await LinkTrackerCli.AddTenantAsync(context.Paths, fillFolder, Tenant, cancellationToken)).ApiKey;
        string[] held = ["Writer:MaxTransactionsPerSecond=1", "Writer:BatchSize=1", "Writer:DrainOnStopSeconds=0", "Capture:Mode=Buffered"];
        await using (var fill = await Deployment.StartAsync(context, fillFolder, new Dictionary<string, string> { [Tenant] = key }, held, cancellationToken))
        {
            await fill[Tenant].CreateLinksAsync(NewLinks, cancellationToken);
            var run = await FillAsync(context, [(fill.Server.Address, fill[Tenant].Host)], ledger, fill.Server, cancellationToken);
            Figures.Add(report, "embedded.fill", run);
            await WaitCapturedAsync(fill.Ops, ledger.Acknowledged, cancellationToken);
            filled = await AfterTransactionAsync(fill.Ops, cancellationToken);
            await fill.StopAsync(report);
        }

        report.Figure("embedded.fill.written_while_filling", filled.RowsInserted + filled.Duplicates);
        report.Notes.Add($"Embedded: the fill's linktracker ran with Writer:MaxTransactionsPerSecond=1, Writer:BatchSize=1 (an embedded node refuses to run "
            + $"without its writer), so it wrote {filled.RowsInserted + filled.Duplicates:#,0} of the {filled.Captured:#,0} clicks while filling; it was "
            + "stopped (SIGTERM, Writer:DrainOnStopSeconds=0) just after one of its transactions, and each cap then ran on a copy of its data folder, "
            + "every role, so the writer drained the journal from disk. The audit holds the fill's captured against both processes' rows inserted.");
        foreach (var cap in (int[])[DefaultCap, Uncapped])
        {
            var data = context.NewFolder($"drain-embedded-cap{cap}");
            CopyFolder(fillFolder, data);
            context.Log($"(drain) embedded, cap {cap} transactions/s: linktracker on a copy of the journal drains it");
            await using var service = await Deployment.StartAsync(
                context, data, new Dictionary<string, string> { [Tenant] = key }, [$"Writer:MaxTransactionsPerSecond={cap}", $"Writer:BatchSize={BatchSize}"], cancellationToken);
            var server = service.Server;
            // Done when the journal is empty: the fill's writer may have taken a click after its last reading, before it stopped.
            var drain = await DrainMeter.MeasureAsync(
                [service.Ops], (statuses, _) => statuses[0].JournalDepth == 0, () => new Dictionary<string, TimeSpan> { ["writer"] = server.ReadCpuTime() },
                DrainTimeout, cancellationToken);
            // The backlog this process found in the journal; the rest the fill's writer wrote (its last reading may miss its last click or two).
            var backlog = drain.First[0].JournalDepth + drain.BeforeWindow;
            var fillWrote = filled.Captured - backlog;
            report.Figure($"embedded.cap{cap}.backlog", backlog);
            report.Figure($"embedded.cap{cap}.fill_wrote_after_last_reading", fillWrote - filled.RowsInserted - filled.Duplicates);
            context.Log($"(drain) embedded, cap {cap}: {drain.ClicksPerSecond:#,0} clicks/s over {drain.Seconds:0.0} s ({drain.BeforeWindow:#,0} written before)");
            var status = await service.Ops.GetWriterAsync(cancellationToken);
            var audit = await ClickAudit.ByStatsAsync(service[Tenant], ledger.Acknowledged, cancellationToken);
            // Captured by the process that served the redirects; written by both.
            audit = audit with
            {
                Tenant = $"embedded, cap {status.MaxTransactionsPerSecond}, batch {status.BatchSize}",
                Writer = new WriterCounts(filled.Captured, filled.CaptureFailures, fillWrote + status.RowsInserted, filled.Duplicates + status.Duplicates),
            };
            Add(report, rows, $"embedded.cap{cap}", "embedded (journal → SQLite)", 1, status, ledger.Acknowledged, drain, audit);
            await service.StopAsync(report);
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Waits for the held writer's next transaction and returns the status just after it: the next one is a second away.</summary>
    private static async Task<WriterStatus> AfterTransactionAsync(OpsClient ops, CancellationToken cancellationToken)
    {
        var first = await ops.GetWriterAsync(cancellationToken);
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 10);
        while (true)
        {
            await Task.Delay(20, cancellationToken);
            var status = await ops.GetWriterAsync(cancellationToken);
            if (status.Transactions != first.Transactions || Stopwatch.GetTimestamp() > deadline)
            {
                return status;
            }
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
        }
    }
}
