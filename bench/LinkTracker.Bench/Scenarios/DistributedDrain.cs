using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// The distributed half of the drain scenario: PostgreSQL, RabbitMQ and Redis of the bench's own, an api node and one
/// edge, and no worker. For each run an edge fills a tenant's click queue; once the edge's journal is forwarded, one or
/// two workers start and drain the queue into PostgreSQL; they stop before the next run's fill. Each run has its own
/// tenant, audited row by row in PostgreSQL.
/// </summary>
public static class DistributedDrain
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(15);

    private sealed record Run(string Key, int Workers, int Cap)
    {
        public string Slug => "drain-" + Key.Replace('.', '-');
    }

    private static readonly Run[] Runs = [new("w1.cap20", 1, DrainScenario.DefaultCap), new("w1.uncapped", 1, DrainScenario.Uncapped), new("w2.uncapped", 2, DrainScenario.Uncapped)];

    public static async Task RunAsync(BenchContext context, ScenarioReport report, Table rows, CancellationToken cancellationToken)
    {
        await using var cluster = await Cluster.StartAsync(context, "drain", [.. Runs.Select(r => r.Slug)], 0, null, cancellationToken);
        var (edge, edgeOps) = await cluster.StartEdgeAsync(context, ["Capture:Mode=Buffered"], cancellationToken);
        report.Notes.Add("Distributed: one edge (Capture:Mode=Buffered, Forwarder defaults: messages of up to 1,000 clicks) and one api node; PostgreSQL 15 "
            + "(fsync off, as scripts/services.sh sets it for tests), RabbitMQ (quorum queues) and Redis on the same 2 cores. Each run fills its own "
            + "tenant's queue through the edge with no worker running and waits until the edge has forwarded everything; then its workers start "
            + $"(Writer:BatchSize={DrainScenario.BatchSize}, the cap shared through the database, ADR 22) and are stopped after the audit. "
            + $"Uncapped = Writer:MaxTransactionsPerSecond={DrainScenario.Uncapped}, the most the setting allows.");
        foreach (var run in Runs)
        {
            var tenant = cluster[run.Slug];
            await tenant.CreateLinksAsync(DrainScenario.NewLinks, cancellationToken);
            var ledger = new RecipientLedger($"{run.Slug}-");
            var before = await edgeOps.GetWriterAsync(cancellationToken);
            context.Log($"(drain) distributed {run.Key}: filling the queue through the edge, no worker running");
            var fill = await DrainScenario.FillAsync(context, Cluster.Targets([edge], run.Slug), ledger, edge, cancellationToken);
            Figures.Add(report, $"distributed.{run.Key}.fill", fill);
            var forwarded = await WaitForwardedAsync(edgeOps, before, ledger.Acknowledged, cancellationToken);
            var captured = forwarded.Captured - before.Captured;

            string[] settings = [$"Writer:MaxTransactionsPerSecond={run.Cap}", $"Writer:BatchSize={DrainScenario.BatchSize}"];
            var workers = await Task.WhenAll(Enumerable.Range(0, run.Workers).Select(_ => cluster.StartWorkerAsync(context, settings, cancellationToken)));
            try
            {
                var drain = await DrainMeter.MeasureAsync(
                    [.. workers.Select(w => w.Ops)], (_, written) => written >= captured, () => Cpu(cluster, workers), DrainTimeout, cancellationToken);
                context.Log($"(drain) distributed {run.Key}: {drain.ClicksPerSecond:#,0} clicks/s over {drain.Seconds:0.0} s ({drain.BeforeWindow:#,0} written before)");
                var statuses = await Task.WhenAll(workers.Select(w => w.Ops.GetWriterAsync(cancellationToken)));
                var audit = await ClickAudit.ByDatabaseAsync(cluster.Database, run.Slug, ledger, cancellationToken);
                audit = audit with
                {
                    Tenant = $"distributed, {run.Workers} worker{(run.Workers == 1 ? "" : "s")}, cap {statuses[0].MaxTransactionsPerSecond}, batch {statuses[0].BatchSize}",
                    Writer = new WriterCounts(
                        captured, forwarded.CaptureFailures - before.CaptureFailures, statuses.Sum(s => s.RowsInserted), statuses.Sum(s => s.Duplicates)),
                };
                report.Figure($"distributed.{run.Key}.forward_failures", forwarded.ForwardFailures - before.ForwardFailures);
                report.Figure($"distributed.{run.Key}.write_failures", statuses.Sum(s => s.WriteFailures));
                DrainScenario.Add(
                    report, rows, $"distributed.{run.Key}", "distributed (RabbitMQ → PostgreSQL)", run.Workers, statuses[0], ledger.Acknowledged, drain, audit);
            }
            finally
            {
                foreach (var (worker, ops) in workers)
                {
                    await cluster.StopWorkerAsync(worker, report);
                    ops.Dispose();
                }
            }
        }

        await cluster.StopAsync(report);
    }

    /// <summary>The workers' CPU (summed), PostgreSQL's and RabbitMQ's process trees.</summary>
    private static Dictionary<string, TimeSpan> Cpu(Cluster cluster, IEnumerable<(ServerProcess Worker, OpsClient Ops)> workers)
    {
        static TimeSpan Tree(int? pid) => pid is { } p ? ProcessTreeCpu.Read([p]) : TimeSpan.Zero;
        return new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
        {
            ["worker"] = workers.Aggregate(TimeSpan.Zero, (sum, w) => sum + w.Worker.ReadCpuTime()),
            ["postgres"] = Tree(cluster.Services.PostgresPid),
            ["rabbitmq"] = Tree(cluster.Services.RabbitMqPid),
        };
    }

    /// <summary>Waits until the edge has captured the fill's clicks and forwarded all of them (its journal is empty); its last status.</summary>
    private static async Task<WriterStatus> WaitForwardedAsync(OpsClient edge, WriterStatus before, long acknowledged, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (true)
        {
            var status = await edge.GetWriterAsync(cancellationToken);
            var captured = status.Captured + status.CaptureFailures - before.Captured - before.CaptureFailures;
            if ((captured >= acknowledged && status.JournalDepth == 0 && status.Forwarded - before.Forwarded >= status.Captured - before.Captured)
                || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
