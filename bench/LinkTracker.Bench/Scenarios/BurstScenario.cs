using System.Diagnostics;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// The burst matrix of the P0 journal bug: capture mode × connections × writer batch, on the embedded deployment and
/// through an edge's forwarder (edge journal → RabbitMQ → worker → PostgreSQL). Each cell is a short closed-loop burst
/// on a tenant of its own, then the wait for the drain, then the audit: stored = captured = 302s received, and the
/// writer met no click twice. A burst makes group commits of hundreds of clicks per journal record, which a batch of
/// 50 takes in parts: the acknowledgements the bug got wrong.
/// </summary>
public sealed class BurstScenario : IScenario
{
    private const int Cap = 20;
    private const int Links = 100;
    private const int WarmupConnections = 16;
    private const int WarmupRequests = Links * 4;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(2);
    private static readonly string[] Modes = ["Durable", "Buffered"];
    private static readonly int[] ConnectionCounts = [64, 256, 1024];
    private static readonly int[] Batches = [50, 1000];
    private static readonly string[] Codes = [.. Enumerable.Range(0, Links).Select(i => $"p{i}")];

    public string Id => "burst";

    public string Title => "Burst matrix: capture mode × connections × writer batch, embedded and through an edge's forwarder";

    private sealed record Cell(string Deployment, string Mode, int Batch, int Connections)
    {
        /// <summary>The cell's own tenant.</summary>
        public string Slug => $"{Mode.ToLowerInvariant()}-b{Batch}-c{Connections}";

        public string Key => $"{Deployment}.{Mode.ToLowerInvariant()}.b{Batch}.c{Connections}";

        public string Label => $"{Deployment}, {Mode}, batch {Batch}, {Connections} conn.";
    }

    /// <summary>Where a cell's redirects go, and how to read the service's counters, wait for the drain and audit storage.</summary>
    private sealed record Target(
        IReadOnlyList<(Uri Address, string Host)> Addresses,
        ServerProcess Server,
        Func<CancellationToken, Task<WriterCounts>> ReadCountsAsync,
        Func<WriterCounts, long, CancellationToken, Task<bool>> WaitWrittenAsync,
        Func<RecipientLedger, CancellationToken, Task<Integrity>> AuditAsync);

    public async Task RunAsync(BenchContext context, ScenarioReport report, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var table = new Table(
            "Burst matrix (302s, captured and stored include each cell's warm-up)",
            "Deployment", "Capture", "Batch", "Connections", "Burst requests", "Requests/s", "p99 ms", "max ms", "Non-302", "302s", "Captured",
            "Stored", "Lost", "Duplicated", "Writer duplicates", "Drain, s", "Cap's time, s", "");
        report.Notes.Add($"Load average (1, 5, 15 min) when the matrix began: {DistributedScenario.LoadAverage()}.");
        report.Notes.Add($"Each cell: a tenant of its own with {Links} links; {WarmupRequests} warm-up requests on {WarmupConnections} connections (link cache, JIT) "
            + $"and their drain; then a closed-loop burst of {sizes.BurstRequests:#,0} requests or {sizes.BurstTime.TotalSeconds:0} s, whichever ends first, "
            + "every request with its own ?r= recipient and a browser User-Agent, on as many new connections as the cell says; then the wait until everything "
            + "captured is written, and the audit.");
        report.Notes.Add($"Writer cap {Cap} transactions/s (the default): a batch of 50 drains at most {Cap * 50:#,0} clicks/s, a batch of 1,000 at most "
            + $"{Cap * 1000:#,0}. *Drain* runs from the burst's last response until every captured click is written; *cap's time* is the burst's clicks / (cap × batch).");
        report.Notes.Add("Embedded: one linktracker per capture mode and batch, the cells' tenants on it one after another; SQLite, audited by listing every click. "
            + "Through an edge: PostgreSQL, RabbitMQ, Redis, an api node and one worker (Writer:BatchSize), and one edge per capture mode and batch "
            + "(Capture:Mode, and Forwarder:BatchSize = the same batch, so the edge's journal is acknowledged in the same parts); audited row by row in PostgreSQL. "
            + "Captured is the edge's count, rows inserted and writer duplicates the worker's. No process restarts within a cell.");

        await RunEmbeddedAsync(context, report, table, cancellationToken);
        report.Tables.Add(table);
        await RunThroughEdgeAsync(context, report, table, cancellationToken);
        report.Notes.Add($"Load average when the matrix ended: {DistributedScenario.LoadAverage()}.");
    }

    private static string[] EmbeddedSettings(string mode, int batch) =>
        [$"Capture:Mode={mode}", $"Writer:BatchSize={batch}", $"Writer:MaxTransactionsPerSecond={Cap}"];

    private static string[] WorkerSettings(int batch) => [$"Writer:BatchSize={batch}", $"Writer:MaxTransactionsPerSecond={Cap}"];

    private static async Task RunEmbeddedAsync(BenchContext context, ScenarioReport report, Table table, CancellationToken cancellationToken)
    {
        long unexpected = 0;
        foreach (var batch in Batches)
        {
            foreach (var mode in Modes)
            {
                Cell[] cells = [.. ConnectionCounts.Select(c => new Cell("embedded", mode, batch, c))];
                context.Log($"(burst) embedded, {mode}, batch {batch}: starting linktracker");
                await using var service = await Deployment.StartAsync(
                    context, $"burst-{mode.ToLowerInvariant()}-b{batch}", [.. cells.Select(c => c.Slug)], EmbeddedSettings(mode, batch), cancellationToken);
                foreach (var cell in cells)
                {
                    var tenant = service[cell.Slug];
                    await tenant.CreateLinksAsync([.. Codes.Select(c => new NewLink(Figures.Destination, c))], cancellationToken);
                    var target = new Target(
                        [(service.Server.Address, tenant.Host)],
                        service.Server,
                        async token => WriterCounts.Of(await service.Ops.GetWriterAsync(token)),
                        async (before, acknowledged, token) =>
                            (await service.Ops.WaitForDrainAsync(before.Captured + before.CaptureFailures + acknowledged, DrainTimeout, token)).Drained,
                        (ledger, token) => ClickAudit.ByListingAsync(tenant, Codes, ledger, token));
                    unexpected += await RunCellAsync(context, report, table, cell, target, cancellationToken);
                }

                await service.StopAsync(report);
            }
        }

        report.Check("Embedded: non-302 responses and errors, all cells", unexpected, "==", 0);
        var others = report.Figures.Where(f => f.Key.StartsWith("embedded.", StringComparison.Ordinal) && f.Key.EndsWith(".other_cores", StringComparison.Ordinal))
            .Select(f => f.Value).DefaultIfEmpty(0).Max();
        if (others > 0.25)
        {
            report.Notes.Add($"**Disturbed:** during the embedded bursts other processes used up to {others:0.00} of the {Environment.ProcessorCount} cores: "
                + "requests/s, latencies and how many requests a burst made within its time are not comparable with a quiet run. The audits are.");
        }
    }

    private async Task RunThroughEdgeAsync(BenchContext context, ScenarioReport report, Table table, CancellationToken cancellationToken)
    {
        Cell[] cells = [.. Batches.SelectMany(b => Modes.SelectMany(m => ConnectionCounts.Select(c => new Cell("edge", m, b, c))))];
        var setup = Stopwatch.GetTimestamp();
        await using var cluster = await Cluster.StartAsync(context, Id, [.. cells.Select(c => c.Slug)], 0, WorkerSettings(Batches[0]), cancellationToken);
        report.Figure("edge.setup_seconds", Stopwatch.GetElapsedTime(setup).TotalSeconds);
        long unexpected = 0;
        foreach (var batch in Batches)
        {
            if (batch != Batches[0])
            {
                // Everything is written by now (each cell waits for it), so the old worker holds nothing to deliver again.
                await cluster.ReplaceWorkerAsync(context, WorkerSettings(batch), report, cancellationToken);
            }

            foreach (var mode in Modes)
            {
                var (edge, ops) = await cluster.StartEdgeAsync(context, [$"Capture:Mode={mode}", $"Forwarder:BatchSize={batch}"], cancellationToken);
                foreach (var cell in cells.Where(c => c.Batch == batch && c.Mode == mode))
                {
                    await cluster[cell.Slug].CreateLinksAsync([.. Codes.Select(c => new NewLink(Figures.Destination, c))], cancellationToken);
                    var target = new Target(
                        Cluster.Targets([edge], cell.Slug),
                        edge,
                        token => cluster.ReadCountsAsync([ops], token),
                        async (before, acknowledged, token) => (await cluster.WaitWrittenAsync([ops], before, acknowledged, DrainTimeout, token)).Drained,
                        (ledger, token) => ClickAudit.ByDatabaseAsync(cluster.Database, cell.Slug, ledger, token));
                    unexpected += await RunCellAsync(context, report, table, cell, target, cancellationToken);
                }

                await cluster.StopEdgeAsync(edge, report);
            }
        }

        await cluster.StopAsync(report);
        report.Check("Through an edge: non-302 responses and errors, all cells", unexpected, "==", 0);
    }

    /// <returns>The cell's non-302 responses and errors.</returns>
    private static async Task<long> RunCellAsync(BenchContext context, ScenarioReport report, Table table, Cell cell, Target target, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var ledger = new RecipientLedger($"{cell.Slug}-");
        static string CodeOf(long i, Random _) => Codes[i % Codes.Length];
        var before = await target.ReadCountsAsync(cancellationToken);
        using (var warm = new LoadGenerator(target.Addresses, WarmupConnections))
        {
            await warm.RunClosedAsync("warm-up", ledger, CodeOf, TimeSpan.FromSeconds(30), WarmupRequests, null, cancellationToken);
        }

        await target.WaitWrittenAsync(before, ledger.Acknowledged, cancellationToken);
        context.Log($"(burst) {cell.Label}: burst");
        LoadRun run;
        using (var load = new LoadGenerator(target.Addresses, cell.Connections))
        {
            run = await load.RunClosedAsync("burst", ledger, CodeOf, sizes.BurstTime, sizes.BurstRequests, target.Server, cancellationToken);
        }

        var ended = Stopwatch.GetTimestamp();
        var drained = await target.WaitWrittenAsync(before, ledger.Acknowledged, cancellationToken);
        var drain = drained ? Stopwatch.GetElapsedTime(ended).TotalSeconds : double.NaN;
        var audit = await target.AuditAsync(ledger, cancellationToken);
        // Read after the audit: a click written after the drain was reported shows as stored ≠ captured.
        var counts = (await target.ReadCountsAsync(cancellationToken)).Since(before);
        var integrity = audit with { Tenant = cell.Label, Writer = counts };
        report.Integrity.Add(integrity);
        if (!integrity.Ok)
        {
            context.Log($"(burst) {cell.Label}: FAIL {string.Join("; ", integrity.Problems)}");
        }

        var capSeconds = (double)run.Completed / (Cap * cell.Batch);
        Figures.Add(report, cell.Key, run);
        report.Figure($"{cell.Key}.acknowledged", integrity.Acknowledged);
        report.Figure($"{cell.Key}.captured", counts.Captured);
        report.Figure($"{cell.Key}.capture_failures", counts.CaptureFailures);
        report.Figure($"{cell.Key}.stored", integrity.Stored);
        report.Figure($"{cell.Key}.lost", integrity.Lost);
        report.Figure($"{cell.Key}.duplicated", integrity.Duplicated);
        report.Figure($"{cell.Key}.rows_inserted", counts.RowsInserted);
        report.Figure($"{cell.Key}.writer_duplicates", counts.Duplicates);
        report.Figure($"{cell.Key}.drain_seconds", drain);
        report.Figure($"{cell.Key}.cap_seconds", capSeconds);
        if (cell.Deployment == "embedded")
        {
            // The machine minus the load generator and the server; through an edge that would also hold the worker and the servers.
            report.Figure($"{cell.Key}.other_cores", run.OtherCores);
        }
        table.Add(cell.Deployment, cell.Mode, cell.Batch, cell.Connections, run.Completed, run.RequestsPerSecond, run.Latency.PercentileMs(99), run.Latency.MaxMs,
            run.Unexpected(302), integrity.Acknowledged, counts.Captured, integrity.Stored, integrity.Lost, integrity.Duplicated, counts.Duplicates,
            drain, capSeconds, integrity.Ok ? "ok" : "**FAIL**");
        return run.Unexpected(302);
    }
}
