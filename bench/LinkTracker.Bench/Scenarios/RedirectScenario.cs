using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// (a) The tracked redirect against a bare 302 server (same host, same route, no lookup, no click), run
/// alternately, per capture mode and connection count; then a paced pass at half the tracked maximum; then the same
/// comparison with wrk (<see cref="WrkCrossCheck"/>).
/// </summary>
public sealed class RedirectScenario : IScenario
{
    // The targets: tracked >= 0.8 x bare requests/s, p99 at half the tracked maximum <= 5 ms.
    private const double HalfRateP99TargetMs = 5;
    private const double ThroughputRatioTarget = 0.8;

    public string Id => "a";

    public string Title => "Redirect throughput and latency: tracked vs a bare 302";

    public async Task RunAsync(BenchContext context, ScenarioReport report, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        var codes = Enumerable.Range(0, sizes.RedirectLinks).Select(i => $"a{i}").ToArray();
        string CodeOf(long i, Random _) => codes[i % codes.Length];

        await using var bare = await ServerProcess.StartBareAsync(context.Paths, context.NewFolder("a-bare"), Figures.Destination, cancellationToken);
        var runs = new Table(
            "Closed loop (each connection sends its next request when the previous one is answered)",
            "Capture", "Connections", "Server", "Requests/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "Non-302", "Server cores", "Client cores", "Other cores", "Drain after, s");
        var wrk = WrkCrossCheck.NewTable();
        var ratios = new Table("Tracked vs bare", "Capture", "Connections", "Throughput tracked/bare", "p99 tracked/bare");
        var paced = new Table(
            "Paced at 50 % of the tracked maximum (latency from each request's due time; service time from its send)",
            "Capture", "Server", "Rate/s", "Achieved/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "p99 service ms", "Non-302");
        report.Notes.Add($"{codes.Length:#,0} links on one tenant, requests cycle through them; every request has its own ?r= recipient and a browser User-Agent.");
        report.Notes.Add($"Runs of {sizes.RunTime.TotalSeconds:0} s after {sizes.WarmupTime.TotalSeconds:0} s of warm-up on the same connections; tracked and bare alternate. "
            + "After each tracked run the bench waits for the writer to drain, so the next run starts clean.");

        foreach (var mode in (string[])["Durable", "Buffered"])
        {
            var key = mode.ToLowerInvariant();
            context.Log($"(a) {mode}: starting linktracker");
            await using var service = await Deployment.StartAsync(context, $"a-{key}", ["redirects"], [$"Capture:Mode={mode}"], cancellationToken);
            var tenant = service["redirects"];
            await tenant.CreateLinksAsync([.. codes.Select(c => new NewLink(Figures.Destination, c))], cancellationToken);
            var ledger = new RecipientLedger($"a-{key}-");
            var bareLedger = new RecipientLedger("bare-");
            double maxTracked = 0;

            foreach (var connections in sizes.Connections)
            {
                LoadRun? tracked = null;
                foreach (var (name, server, recipients) in (ValueTuple<string, ServerProcess, RecipientLedger>[])[("tracked", service.Server, ledger), ("bare", bare, bareLedger)])
                {
                    context.Log($"(a) {mode}, {connections} connections, {name}");
                    using var load = new LoadGenerator(server.Address, tenant.Host, connections);
                    await load.RunClosedAsync("warm-up", recipients, CodeOf, sizes.WarmupTime, long.MaxValue, null, cancellationToken);
                    var run = await load.RunClosedAsync(name, recipients, CodeOf, sizes.RunTime, long.MaxValue, server, cancellationToken);
                    var drain = name == "tracked" ? await DrainAsync(service, ledger, cancellationToken) : double.NaN;
                    Figures.Add(report, $"{key}.c{connections}.{name}", run);
                    runs.Add(mode, connections, name, run.RequestsPerSecond, run.Latency.PercentileMs(50), run.Latency.PercentileMs(90),
                        run.Latency.PercentileMs(99), run.Latency.MaxMs, run.Unexpected(302), Figures.Cores(run.ServerCores), run.ClientCores,
                        run.OtherCores, double.IsNaN(drain) ? "" : drain);
                    if (name == "tracked")
                    {
                        tracked = run;
                        maxTracked = Math.Max(maxTracked, run.RequestsPerSecond);
                        report.Figure($"{key}.c{connections}.tracked.drain_seconds", drain);
                        report.Check($"{mode}, {connections} conn.: non-302 responses and errors", run.Unexpected(302), "==", 0);
                    }
                    else if (tracked is not null)
                    {
                        var ratio = tracked.RequestsPerSecond / run.RequestsPerSecond;
                        var p99Ratio = tracked.Latency.PercentileMs(99) / run.Latency.PercentileMs(99);
                        ratios.Add(mode, connections, ratio, p99Ratio);
                        report.Figure($"{key}.c{connections}.throughput_ratio", ratio);
                        report.Figure($"{key}.c{connections}.p99_ratio", p99Ratio);
                        report.Check($"{mode}, {connections} conn.: tracked throughput / bare", ratio, ">=", ThroughputRatioTarget);
                    }
                }
            }

            var rate = maxTracked / 2;
            report.Figure($"{key}.half_rate", rate);
            foreach (var (name, server, recipients) in (ValueTuple<string, ServerProcess, RecipientLedger>[])[("tracked", service.Server, ledger), ("bare", bare, bareLedger)])
            {
                context.Log($"(a) {mode}, paced at {rate:0}/s, {name}");
                using var load = new LoadGenerator(server.Address, tenant.Host, sizes.Connections[0]);
                var count = (long)(rate * sizes.HalfRateTime.TotalSeconds);
                var run = await load.RunPacedAsync(
                    name, recipients, CodeOf, i => TimeSpan.FromSeconds(i / rate), count, sizes.HalfRateTime + TimeSpan.FromSeconds(5), server, cancellationToken);
                Figures.Add(report, $"{key}.half.{name}", run);
                paced.Add(mode, name, rate, run.RequestsPerSecond, run.Latency.PercentileMs(50), run.Latency.PercentileMs(90), run.Latency.PercentileMs(99),
                    run.Latency.MaxMs, run.ServiceTime.PercentileMs(99), run.Unexpected(302));
                if (name == "tracked")
                {
                    report.Check($"{mode}: p99 at 50 % of max throughput", run.Latency.PercentileMs(99), "<=", HalfRateP99TargetMs, " ms");
                    await DrainAsync(service, ledger, cancellationToken);
                }
            }

            context.Log($"(a) {mode}: auditing {ledger.Acknowledged:#,0} acknowledged clicks");
            var byListing = await ClickAudit.ByListingAsync(tenant, codes, ledger, cancellationToken);
            var byStats = await ClickAudit.ByStatsAsync(tenant, ledger.Acknowledged, cancellationToken);
            // Read after the audit, so a click stored after the drain was reported shows as stored ≠ captured.
            var status = await service.Ops.GetWriterAsync(cancellationToken);
            var writer = WriterCounts.Of(status);
            report.Figure($"{key}.writer.captured", status.Captured);
            report.Figure($"{key}.writer.capture_failures", status.CaptureFailures);
            report.Figure($"{key}.writer.rows_inserted", status.RowsInserted);
            report.Figure($"{key}.writer.write_failures", status.WriteFailures);
            report.Figure($"{key}.writer.duplicates", status.Duplicates);
            report.Integrity.Add(byListing with { Tenant = $"redirects ({mode})", Writer = writer });
            report.Integrity.Add(byStats with { Tenant = $"redirects ({mode})", Writer = writer });
            await service.StopAsync(report);
            await WrkCrossCheck.RunAsync(context, report, mode, bare, codes, wrk, cancellationToken);
        }

        var others = report.Figures.Where(f => f.Key.EndsWith(".machine_cores", StringComparison.Ordinal)).Select(f => f.Key[..^".machine_cores".Length])
            .Select(prefix => report.Figures[prefix + ".machine_cores"] - report.Figures[prefix + ".client_cores"] - report.Figures.GetValueOrDefault(prefix + ".server_cores"))
            .DefaultIfEmpty(0).Max();
        if (others > 0.25)
        {
            report.Notes.Add($"**Disturbed:** other processes used up to {others:0.00} of the {Environment.ProcessorCount} cores during these runs. "
                + "Throughput figures are lower, and latencies higher, than on a quiet machine; compare tracked with bare, or run again.");
        }

        await bare.StopAsync(TimeSpan.FromSeconds(10));
        report.ServiceProblems.AddRange(bare.Problems);
        report.Tables.AddRange([runs, ratios, paced, wrk]);
    }

    /// <returns>Seconds until every acknowledged click was written.</returns>
    private static async Task<double> DrainAsync(Deployment service, RecipientLedger ledger, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (_, drained) = await service.Ops.WaitForDrainAsync(ledger.Acknowledged, TimeSpan.FromMinutes(5), cancellationToken);
        return drained ? System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds : double.NaN;
    }
}
