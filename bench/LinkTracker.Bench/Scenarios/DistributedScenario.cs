using System.Diagnostics;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// (e) Scenarios (a) and (b) on the distributed deployment: PostgreSQL, RabbitMQ and Redis of the bench's own, one api
/// node, one worker and two edges. The tracked redirect through two edges and through one, against the bare 302;
/// then the email blast through the edges, audited row by row in PostgreSQL.
/// </summary>
public sealed class DistributedScenario : IScenario
{
    public const int Cap = 20;
    public const int BatchSize = 1000;
    private const int EdgeCount = 2;
    private const string Tenant = "redirects";
    private const double HalfRateP99TargetMs = 5;
    private const double ThroughputRatioTarget = 0.8;

    public string Id => "e";

    public string Title => "Distributed deployment: (a) and (b) through edge, api and worker processes on PostgreSQL, RabbitMQ and Redis";

    public async Task RunAsync(BenchContext context, ScenarioReport report, CancellationToken cancellationToken)
    {
        report.Notes.Add($"Load average (1, 5, 15 min) when (e) began: {LoadAverage()}.");
        var setup = Stopwatch.GetTimestamp();
        await using var cluster = await Cluster.StartAsync(
            context, Id, [Tenant, DistributedBlast.Tenant, .. DistributedBlast.SmallTenants], EdgeCount,
            [$"Writer:MaxTransactionsPerSecond={Cap}", $"Writer:BatchSize={BatchSize}"], cancellationToken);
        report.Figure("setup_seconds", Stopwatch.GetElapsedTime(setup).TotalSeconds);
        report.Notes.Add($"Topology: {EdgeCount} edge processes (Node:Roles=edge: Redis, RabbitMQ and the api's URL, no database credentials), "
            + $"1 api node, 1 worker (cap {Cap} transactions/s, batch {BatchSize:#,0}), all Release builds on 127.0.0.1; PostgreSQL 15 "
            + "(fsync off, as scripts/services.sh sets it for tests), RabbitMQ (quorum queues), Redis, all on the same 2 cores as the load generator. "
            + $"Setup (servers, database, tenants, processes) took {Stopwatch.GetElapsedTime(setup).TotalSeconds:0} s.");

        var (edges, ledger) = await RunRedirectsAsync(context, cluster, report, cancellationToken);
        var ledgers = await DistributedBlast.RunAsync(context, cluster, edges, report, cancellationToken);
        await AuditAsync(context, cluster, [(Tenant, ledger), .. ledgers], report, cancellationToken);
        Counters(report, await Task.WhenAll(cluster.EdgeOps.Select(o => o.GetWriterAsync(cancellationToken))), await cluster.WorkerOps.GetWriterAsync(cancellationToken));
        await cluster.StopAsync(report);

        var others = report.Figures.Where(f => f.Key.EndsWith(".other_cores", StringComparison.Ordinal)).Select(f => f.Value).DefaultIfEmpty(0).Max();
        report.Notes.Add($"Load average when (e) ended: {LoadAverage()}.");
        if (others > 0.25)
        {
            report.Notes.Add($"**Disturbed:** processes outside the deployment and the load generator used up to {others:0.00} of the {Environment.ProcessorCount} cores "
                + "during these runs. Throughput is lower, and latency higher, than on a quiet machine; compare rows of this run with each other.");
        }
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>CPU of the deployment's parts over a run, in cores; other = the machine minus them and the load generator.</summary>
    public static void AddCores(ScenarioReport report, string prefix, LoadRun run, CpuSample before, CpuSample after)
    {
        foreach (var (name, cores) in CpuSample.Between(before, after, run.Seconds))
        {
            report.Figure($"{prefix}.{name}", cores);
        }

        var ours = (after.Total - before.Total).TotalSeconds / run.Seconds;
        report.Figure($"{prefix}.other_cores", Math.Max(0, run.MachineCores - run.ClientCores - ours));
    }

    /// <summary>"a / b / c" of figures under a prefix, for one table cell.</summary>
    public static string Split(ScenarioReport report, string prefix, params string[] names) =>
        string.Join(" / ", names.Select(n => ScenarioReport.Format(report.Figures[$"{prefix}.{n}_cores"])));

    /// <summary>
    /// Once the worker has written everything the edges captured: every tenant's rows against its ledger, and all of
    /// them against the edges' captured and the worker's inserted and duplicates (the counters are per process).
    /// </summary>
    private static async Task AuditAsync(
        BenchContext context, Cluster cluster, IReadOnlyList<(string Tenant, RecipientLedger Ledger)> ledgers, ScenarioReport report, CancellationToken cancellationToken)
    {
        context.Log("(e) waiting until the worker has written every click the edges captured");
        var zero = new WriterCounts(0, 0, 0, 0);
        var (_, drained) = await cluster.WaitWrittenAsync(cluster.EdgeOps, zero, ledgers.Sum(l => l.Ledger.Acknowledged), TimeSpan.FromMinutes(5), cancellationToken);
        if (!drained)
        {
            report.Notes.Add("Not every captured click was written within 5 minutes of the end; the audit below counts what was in PostgreSQL.");
        }

        context.Log("(e) auditing every tenant's rows in PostgreSQL");
        List<Integrity> audits = [];
        foreach (var (tenant, ledger) in ledgers)
        {
            audits.Add(await ClickAudit.ByDatabaseAsync(cluster.Database, tenant, ledger, cancellationToken));
        }

        report.Integrity.AddRange(audits);
        var counts = await cluster.ReadCountsAsync(cluster.EdgeOps, cancellationToken);
        report.Integrity.Add(ClickAudit.Combined($"all {audits.Count} tenants (edges' captured, worker's rows)", audits, counts));
    }

    private static async Task<(List<ServerProcess> Edges, RecipientLedger Ledger)> RunRedirectsAsync(
        BenchContext context, Cluster cluster, ScenarioReport report, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var codes = Enumerable.Range(0, sizes.RedirectLinks).Select(i => $"a{i}").ToArray();
        string CodeOf(long i, Random _) => codes[i % codes.Length];
        await cluster[Tenant].CreateLinksAsync([.. codes.Select(c => new NewLink(Figures.Destination, c))], cancellationToken);
        await using var bare = await ServerProcess.StartBareAsync(context.Paths, context.NewFolder("e-bare"), Figures.Destination, cancellationToken);
        CpuSample Cpu() => cluster.ReadCpu(bare);

        var ledger = new RecipientLedger("e-a-");
        var bareLedger = new RecipientLedger("e-bare-");
        (string Key, string Name, List<ServerProcess>? Edges)[] configs =
            [("edges2", $"tracked, {cluster.Edges.Count} edges", cluster.Edges), ("edges1", "tracked, 1 edge", [cluster.Edges[0]]), ("bare", "bare 302", null)];
        IReadOnlyList<(Uri, string)> TargetsOf(List<ServerProcess>? edges) => edges is null ? [(bare.Address, $"{Tenant}.localhost:{bare.Port}")] : Cluster.Targets(edges, Tenant);

        var runs = new Table(
            "(a) on the deployment, closed loop",
            "Target", "Connections", "Requests/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "Non-302", "Edge cores", "Api / worker cores",
            "PG / MQ / Redis cores", "Bare cores", "Client cores", "Other cores", "All stored after, s");
        var ratios = new Table("(a) tracked vs bare", "Connections", "Edges", "Throughput tracked/bare", "p99 tracked/bare");
        report.Notes.Add($"(a): {codes.Length:#,0} links on one tenant, every request with its own ?r= recipient; runs of {sizes.RunTime.TotalSeconds:0} s after "
            + $"{sizes.WarmupTime.TotalSeconds:0} s of warm-up. With two edges the connections alternate between them. The bare 302 is one process (as in (a)). "
            + "After each tracked run the bench waits until PostgreSQL holds every acknowledged click (edge journal, RabbitMQ, worker, commit).");

        // Each process starts cold (JIT, the edges' link caches, connection pools): one longer pass through every edge
        // first, so the first measured topology does not pay for it; then a wait until the background JIT has settled.
        context.Log("(e) warming up every edge");
        using (var warm = new LoadGenerator(TargetsOf(cluster.Edges), sizes.Connections[0]))
        {
            await warm.RunClosedAsync("warm-up", ledger, CodeOf, sizes.WarmupTime * 3, long.MaxValue, null, cancellationToken);
        }

        await cluster.WaitStoredAsync(Tenant, ledger.Acknowledged, TimeSpan.FromMinutes(2), cancellationToken);
        await SettleAsync(report, Cpu, cancellationToken);

        var best = (Rps: 0.0, Config: configs[0]);
        foreach (var connections in sizes.Connections)
        {
            var results = new Dictionary<string, LoadRun>(StringComparer.Ordinal);
            foreach (var config in configs)
            {
                context.Log($"(e) {connections} connections, {config.Name}");
                var recipients = config.Edges is null ? bareLedger : ledger;
                using var load = new LoadGenerator(TargetsOf(config.Edges), connections);
                await load.RunClosedAsync("warm-up", recipients, CodeOf, sizes.WarmupTime, long.MaxValue, null, cancellationToken);
                var before = Cpu();
                var run = await load.RunClosedAsync(config.Key, recipients, CodeOf, sizes.RunTime, long.MaxValue, null, cancellationToken);
                var after = Cpu();
                var drain = config.Edges is null ? double.NaN : await cluster.WaitStoredAsync(Tenant, ledger.Acknowledged, TimeSpan.FromMinutes(5), cancellationToken);
                var prefix = $"redirects.c{connections}.{config.Key}";
                Figures.Add(report, prefix, run);
                AddCores(report, prefix, run, before, after);
                report.Figure($"{prefix}.stored_after_seconds", drain);
                var f = report.Figures;
                runs.Add(config.Name, connections, run.RequestsPerSecond, run.Latency.PercentileMs(50), run.Latency.PercentileMs(90), run.Latency.PercentileMs(99),
                    run.Latency.MaxMs, run.Unexpected(302), f[$"{prefix}.edge_cores"], Split(report, prefix, "api", "worker"),
                    Split(report, prefix, "postgres", "rabbitmq", "redis"),
                    f[$"{prefix}.bare_cores"], run.ClientCores, f[$"{prefix}.other_cores"], double.IsNaN(drain) ? "" : drain);
                results[config.Key] = run;
                if (config.Edges is not null)
                {
                    report.Check($"{config.Name}, {connections} conn.: non-302 responses and errors", run.Unexpected(302), "==", 0);
                    if (run.RequestsPerSecond > best.Rps)
                    {
                        best = (run.RequestsPerSecond, config);
                    }
                }
            }

            var bareRun = results["bare"];
            foreach (var config in configs.Where(c => c.Edges is not null))
            {
                var tracked = results[config.Key];
                var ratio = tracked.RequestsPerSecond / bareRun.RequestsPerSecond;
                var p99Ratio = tracked.Latency.PercentileMs(99) / bareRun.Latency.PercentileMs(99);
                ratios.Add(connections, config.Edges!.Count, ratio, p99Ratio);
                report.Figure($"redirects.c{connections}.{config.Key}.throughput_ratio", ratio);
                report.Figure($"redirects.c{connections}.{config.Key}.p99_ratio", p99Ratio);
                report.Check($"{config.Name}, {connections} conn.: tracked throughput / bare", ratio, ">=", ThroughputRatioTarget);
            }
        }

        var chosen = best.Config;
        var rate = best.Rps / 2;
        report.Figure("redirects.half_rate", rate);
        report.Notes.Add($"The faster tracked topology in the closed loop was **{chosen.Name}** ({best.Rps:#,0} req/s): the paced run and the blast (b) use it.");
        var paced = new Table(
            $"(a) paced at 50 % of the faster tracked maximum ({chosen.Name}); latency from each request's due time",
            "Target", "Rate/s", "Achieved/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "p99 service ms", "Non-302");
        foreach (var config in (ValueTuple<string, string, List<ServerProcess>?>[])[chosen, configs[^1]])
        {
            var (key, name, edges) = config;
            context.Log($"(e) paced at {rate:0}/s, {name}");
            using var load = new LoadGenerator(TargetsOf(edges), sizes.Connections[0]);
            var count = (long)(rate * sizes.HalfRateTime.TotalSeconds);
            var run = await load.RunPacedAsync(
                key, edges is null ? bareLedger : ledger, CodeOf, i => TimeSpan.FromSeconds(i / rate), count, sizes.HalfRateTime + TimeSpan.FromSeconds(5), null, cancellationToken);
            Figures.Add(report, $"redirects.half.{(edges is null ? "bare" : "tracked")}", run);
            paced.Add(name, rate, run.RequestsPerSecond, run.Latency.PercentileMs(50), run.Latency.PercentileMs(90), run.Latency.PercentileMs(99),
                run.Latency.MaxMs, run.ServiceTime.PercentileMs(99), run.Unexpected(302));
            if (edges is not null)
            {
                report.Check($"{name}: p99 at 50 % of max throughput", run.Latency.PercentileMs(99), "<=", HalfRateP99TargetMs, " ms");
            }
        }

        await bare.StopAsync(TimeSpan.FromSeconds(10));
        report.ServiceProblems.AddRange(bare.Problems);
        report.Tables.AddRange([runs, ratios, paced]);
        return (chosen.Edges!, ledger);
    }

    /// <summary>
    /// After the warm-up the processes keep compiling (tiered JIT) in the background for a while, which the first
    /// measured run would pay for: waits (up to 30 s) until the deployment is at rest, and reports its idle CPU.
    /// </summary>
    private static async Task SettleAsync(ScenarioReport report, Func<CpuSample> cpu, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        List<(string Name, double Cores)> last;
        do
        {
            var before = cpu();
            var second = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            last = [.. CpuSample.Between(before, cpu(), second.Elapsed.TotalSeconds)];
        }
        while (last.Where(c => c.Name is "edge_cores" or "api_cores" or "worker_cores").Sum(c => c.Cores) > 0.1 && clock.Elapsed < TimeSpan.FromSeconds(30));

        var table = new Table("The deployment at rest after the warm-up (last 1 s reading), cores", "Waited, s", "Edges", "Api / worker", "PG / MQ / Redis");
        report.Figure("idle.settle_seconds", clock.Elapsed.TotalSeconds);
        foreach (var (name, cores) in last)
        {
            report.Figure($"idle.{name}", cores);
        }

        table.Add(clock.Elapsed.TotalSeconds, report.Figures["idle.edge_cores"], Split(report, "idle", "api", "worker"), Split(report, "idle", "postgres", "rabbitmq", "redis"));
        report.Tables.Add(table);
    }

    private static void Counters(ScenarioReport report, WriterStatus[] edges, WriterStatus worker)
    {
        var table = new Table("Counters at the end (/ops/writer)", "Process", "Captured", "Capture failures", "Forwarded", "Forward failures", "Transactions", "Rows inserted", "Duplicates", "Write failures");
        for (var i = 0; i < edges.Length; i++)
        {
            var e = edges[i];
            table.Add($"edge {i + 1}", e.Captured, e.CaptureFailures, e.Forwarded, e.ForwardFailures, e.Transactions, e.RowsInserted, e.Duplicates, e.WriteFailures);
            report.Figure($"edge{i + 1}.captured", e.Captured);
            report.Figure($"edge{i + 1}.forwarded", e.Forwarded);
            report.Figure($"edge{i + 1}.forward_failures", e.ForwardFailures);
            report.Figure($"edge{i + 1}.capture_failures", e.CaptureFailures);
        }

        table.Add("worker", worker.Captured, worker.CaptureFailures, worker.Forwarded, worker.ForwardFailures, worker.Transactions, worker.RowsInserted, worker.Duplicates, worker.WriteFailures);
        report.Figure("worker.transactions", worker.Transactions);
        report.Figure("worker.rows_inserted", worker.RowsInserted);
        report.Figure("worker.duplicates", worker.Duplicates);
        report.Figure("worker.write_failures", worker.WriteFailures);
        report.Tables.Add(table);
    }
}
