using System.Diagnostics;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// (a)'s cross-check with an independent load generator: wrk against a tracked service of its own (so the bench's own
/// audit stays exact) and the same bare server, alternating, first sharing every core with the server, then pinned to
/// core 0 with the server on the others (taskset), so a reader sees what is the server's. The service's clicks are
/// audited too: every redirect wrk saw is stored once.
/// </summary>
public static class WrkCrossCheck
{
    public static Table NewTable() => new(
        "Cross-check with wrk (one thread, a distinct ?r= recipient per request; \"split\": wrk on core 0, the server on the others)",
        "Capture", "Connections", "Cores", "Server", "Requests/s", "p50 ms", "p90 ms", "p99 ms", "Non-3xx + socket errors", "Server cores", "Tracked/bare");

    public static async Task RunAsync(
        BenchContext context, ScenarioReport report, string mode, ServerProcess bare, IReadOnlyList<string> codes, Table table, CancellationToken cancellationToken)
    {
        if (Wrk.Executable is null)
        {
            report.Notes.Add("wrk is not installed (`apt-get install wrk`): no cross-check with an independent load generator.");
            return;
        }

        var key = mode.ToLowerInvariant();
        context.Log($"(a) {mode}: wrk cross-check, starting linktracker");
        await using var service = await Deployment.StartAsync(context, $"a-{key}-wrk", ["redirects"], [$"Capture:Mode={mode}"], cancellationToken);
        var tenant = service["redirects"];
        await tenant.CreateLinksAsync([.. codes.Select(c => new NewLink(Figures.Destination, c))], cancellationToken);

        var cores = Environment.ProcessorCount;
        string[] layouts = cores >= 2 && Wrk.Taskset is not null ? ["shared", "split"] : ["shared"];
        long redirects = 0;
        var runs = 0;
        foreach (var connections in context.Sizes.Connections)
        {
            foreach (var layout in layouts)
            {
                WrkRun? tracked = null;
                foreach (var (name, server) in (ValueTuple<string, ServerProcess>[])[("tracked", service.Server), ("bare", bare)])
                {
                    context.Log($"(a) {mode}, wrk, {connections} connections, {layout} cores, {name}");
                    var split = layout == "split" && await Wrk.PinAsync(server.Pid, $"1-{cores - 1}", cancellationToken);
                    try
                    {
                        int? core = split ? 0 : null;
                        var warm = await Wrk.RunAsync(server.Address, tenant.Host, connections, context.Sizes.WarmupTime, codes.Count, $"{key}{runs++}", core, cancellationToken);
                        var cpu = server.ReadCpuTime();
                        var clock = Stopwatch.StartNew();
                        var run = await Wrk.RunAsync(server.Address, tenant.Host, connections, context.Sizes.RunTime, codes.Count, $"{key}{runs++}", core, cancellationToken);
                        var serverCores = (server.ReadCpuTime() - cpu).TotalSeconds / clock.Elapsed.TotalSeconds;
                        var prefix = $"{key}.wrk.{layout}.c{connections}.{name}";
                        report.Figure($"{prefix}.rps", run.RequestsPerSecond);
                        report.Figure($"{prefix}.p99_ms", run.P99Ms);
                        report.Figure($"{prefix}.server_cores", serverCores);
                        report.Figure($"{prefix}.unexpected", run.NonSuccess + run.SocketErrors);
                        string ratio = "";
                        if (name == "tracked")
                        {
                            tracked = run;
                            redirects += warm.Redirects + run.Redirects;
                        }
                        else if (tracked is not null)
                        {
                            var r = tracked.RequestsPerSecond / run.RequestsPerSecond;
                            ratio = ScenarioReport.Format(r);
                            report.Figure($"{key}.wrk.{layout}.c{connections}.throughput_ratio", r);
                            report.Check($"{mode}, {connections} conn., wrk, {layout} cores: tracked throughput / bare", r, ">=", 0.8);
                        }

                        table.Add(mode, connections, layout, name, run.RequestsPerSecond, run.P50Ms, run.P90Ms, run.P99Ms, run.NonSuccess + run.SocketErrors,
                            Figures.Cores(serverCores), ratio);
                    }
                    finally
                    {
                        if (split)
                        {
                            await Wrk.PinAsync(server.Pid, $"0-{cores - 1}", CancellationToken.None);
                        }
                    }
                }
            }
        }

        context.Log($"(a) {mode}: wrk cross-check, auditing {redirects:#,0} redirects");
        var (status, drained) = await service.Ops.WaitForDrainAsync(0, TimeSpan.FromMinutes(5), cancellationToken);
        if (!drained)
        {
            report.ServiceProblems.Add($"(a) {mode}, wrk: the writer did not drain within 5 minutes");
        }

        // wrk stops with requests in flight: the server may have captured them without wrk counting the redirect.
        var totals = (await tenant.GetTotalsAsync(cancellationToken)).Totals;
        status = await service.Ops.GetWriterAsync(cancellationToken);
        report.Integrity.Add(new Integrity(
            $"redirects ({mode}, wrk)", "stats totals", redirects, totals.Clicks, Math.Max(0, redirects - totals.Clicks),
            totals.Clicks - totals.UniqueRecipients, Math.Max(0, totals.Clicks - redirects))
        {
            Writer = WriterCounts.Of(status),
        });
        await service.StopAsync(report);
    }
}
