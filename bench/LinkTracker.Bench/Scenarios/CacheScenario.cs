using System.Diagnostics;
using System.Security.Cryptography;
using LinkTracker.Bench.Infrastructure;
using LinkTracker.Bench.Load;
using LinkTracker.Bench.Results;

namespace LinkTracker.Bench.Scenarios;

/// <summary>
/// (c) The link cache: many links, Zipf-distributed clicks (hit ratio, memory per cached link), then a flood
/// of unknown codes (how many reach the database).
/// </summary>
public sealed class CacheScenario : IScenario
{
    private const int Capacity = 200_000;
    private const int Connections = 64;
    private const double ZipfExponent = 1.0;
    private const double HitRatioTarget = 0.9;
    private const double BytesPerLinkTarget = 1_000;
    private const double RandomUnknownReadsTarget = 100;
    private const double RepeatedUnknownReadsTarget = 10;

    public string Id => "c";

    public string Title => "Link cache: Zipf clicks over many links, then unknown codes";

    public async Task RunAsync(BenchContext context, ScenarioReport report, CancellationToken cancellationToken)
    {
        var sizes = context.Sizes;
        context.Log("(c) starting linktracker");
        await using var service = await Deployment.StartAsync(context, "c", ["cache"], [$"LinkCache:Capacity={Capacity}"], cancellationToken);
        var tenant = service["cache"];
        var codes = new string[sizes.CacheLinks];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = $"c{i}";
        }

        context.Log($"(c) creating {codes.Length:#,0} links, 1,000 per call");
        var created = Stopwatch.GetTimestamp();
        await tenant.CreateLinksAsync([.. codes.Select(c => new NewLink(Figures.Destination, c))], cancellationToken);
        var createSeconds = Stopwatch.GetElapsedTime(created).TotalSeconds;
        report.Figure("links.created", codes.Length);
        report.Figure("links.create_seconds", createSeconds);
        report.Figure("links.per_second", codes.Length / createSeconds);

        var ledger = new RecipientLedger("cache-");
        using var load = new LoadGenerator(service.Server.Address, tenant.Host, Connections);
        // As many requests as a pass, on 100 links: the heap and buffers grow to their steady size before memory is read.
        context.Log("(c) warm-up on 100 links");
        await load.RunClosedAsync("warm-up", ledger, (i, _) => codes[i % 100], TimeSpan.FromMinutes(5), sizes.ZipfRequests, null, cancellationToken);
        await service.Ops.WaitForDrainAsync(ledger.Acknowledged, TimeSpan.FromMinutes(2), cancellationToken);

        var zipf = new Zipf(codes.Length, ZipfExponent);
        var requested = new BitSet();
        long distinct = 0;
        string ZipfCode(long i, Random random)
        {
            var rank = zipf.Sample(random);
            if (requested.Add(rank))
            {
                Interlocked.Increment(ref distinct);
            }

            return codes[rank];
        }

        var rssBefore = service.Server.ReadRssBytes();
        var passes = new Table(
            "Zipf passes (s = 1.0): hit ratio from the store reads each pass caused; a first request of a link always misses, re-misses are evictions",
            "Pass", "Requests", "Requests/s", "p50 ms", "p99 ms", "Store reads", "Hit ratio", "First requests", "Re-misses", "Hit ratio on links seen before");
        double steadyHitRatio = 0;
        for (var pass = 1; pass <= 2; pass++)
        {
            context.Log($"(c) Zipf pass {pass}: {sizes.ZipfRequests:#,0} requests");
            var before = await service.Ops.GetWriterAsync(cancellationToken);
            var distinctBefore = Interlocked.Read(ref distinct);
            var run = await load.RunClosedAsync($"zipf-{pass}", ledger, ZipfCode, TimeSpan.FromMinutes(10), sizes.ZipfRequests, service.Server, cancellationToken);
            var after = await service.Ops.GetWriterAsync(cancellationToken);
            var reads = after.LinkStoreReads - before.LinkStoreReads;
            var hitRatio = 1 - ((double)reads / run.Completed);
            var firsts = Interlocked.Read(ref distinct) - distinctBefore;
            var remisses = Math.Max(0, reads - firsts);
            var seenHitRatio = 1 - ((double)remisses / Math.Max(1, run.Completed - firsts));
            steadyHitRatio = seenHitRatio;
            report.Figure($"zipf{pass}.first_requests", firsts);
            report.Figure($"zipf{pass}.remisses", remisses);
            report.Figure($"zipf{pass}.seen_hit_ratio", seenHitRatio);
            Figures.Add(report, $"zipf{pass}", run);
            report.Figure($"zipf{pass}.store_reads", reads);
            report.Figure($"zipf{pass}.hit_ratio", hitRatio);
            report.Figure($"zipf{pass}.distinct_links", Interlocked.Read(ref distinct));
            passes.Add(pass, run.Completed, run.RequestsPerSecond, run.Latency.PercentileMs(50), run.Latency.PercentileMs(99), reads, hitRatio, firsts, remisses, seenHitRatio);
            if (pass == 1)
            {
                // Memory is read once the writer is idle again, so the journal's backlog is not counted as cache.
                var (drained, _) = await service.Ops.WaitForDrainAsync(ledger.Acknowledged, TimeSpan.FromMinutes(5), cancellationToken);
                var rssAfter = service.Server.ReadRssBytes();
                // The service says how many links its cache holds; older builds did not, then estimate from distinct links.
                var cached = drained.LinkCacheCount > 0 ? drained.LinkCacheCount : Math.Min(Interlocked.Read(ref distinct), Capacity);
                report.Figure("memory.rss_before_bytes", rssBefore);
                report.Figure("memory.rss_after_bytes", rssAfter);
                report.Figure("memory.cached_links_estimate", cached);
                report.Figure("memory.bytes_per_cached_link", (double)(rssAfter - rssBefore) / cached);
                report.Notes.Add($"Memory: RSS {rssBefore / 1048576.0:0.0} MiB before pass 1, {rssAfter / 1048576.0:0.0} MiB after it (writer drained); "
                    + $"about {cached:#,0} links cached (distinct links requested, at most the capacity {Capacity:#,0}): "
                    + $"{(double)(rssAfter - rssBefore) / cached:0} bytes per cached link. RSS also holds GC heap growth, so this is an upper bound.");
                report.Check("Memory per cached link (RSS delta / cached links)", (double)(rssAfter - rssBefore) / cached, "<=", BytesPerLinkTarget, " B");
            }
        }

        var status = await service.Ops.GetWriterAsync(cancellationToken);
        report.Figure("ops.link_cache_hit_ratio", status.LinkCacheHitRatio);
        report.Notes.Add($"{codes.Length:#,0} links (created in {createSeconds:0.0} s, {codes.Length / createSeconds:#,0} links/s through the batch API); cache capacity {Capacity:#,0}; "
            + $"the top {Math.Min(Capacity, codes.Length):#,0} links get {zipf.ShareOfTop(Capacity):P1} of Zipf requests, the best hit ratio any cache of that size can reach. "
            + $"/ops/writer linkCacheHitRatio since start: {status.LinkCacheHitRatio:P1}.");
        report.Check("Zipf pass 2: hit ratio on links requested before", steadyHitRatio, ">=", HitRatioTarget);
        report.Tables.Add(passes);

        var unknown = new Table("Unknown codes (404): store reads per 1,000 requests", "Flood", "Requests", "404s", "Requests/s", "p99 ms", "Store reads", "Answered by the code filter", "Reads per 1,000");
        var random = Enumerable.Range(0, sizes.UnknownRequests).Select(_ => "u" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 10)).ToArray();
        var repeated = random.Take(1_000).ToArray();
        foreach (var (name, flood) in (ValueTuple<string, string[]>[])[("random", random), ("repeated", repeated)])
        {
            context.Log($"(c) {name} unknown codes: {sizes.UnknownRequests:#,0} requests");
            var before = await service.Ops.GetWriterAsync(cancellationToken);
            var run = await load.RunClosedAsync($"unknown-{name}", new RecipientLedger("unknown-"), (i, _) => flood[i % flood.Length], TimeSpan.FromMinutes(5), sizes.UnknownRequests, service.Server, cancellationToken);
            var after = await service.Ops.GetWriterAsync(cancellationToken);
            var reads = after.LinkStoreReads - before.LinkStoreReads;
            var filtered = after.LinkCodesFiltered - before.LinkCodesFiltered;
            var perThousand = reads * 1000.0 / run.Completed;
            report.Figure($"unknown_{name}.code_filter_answers", filtered);
            Figures.Add(report, $"unknown_{name}", run);
            report.Figure($"unknown_{name}.store_reads", reads);
            report.Figure($"unknown_{name}.reads_per_1000", perThousand);
            unknown.Add(name == "random" ? "random, each code new" : $"the first 1,000 codes again, {sizes.UnknownRequests / 1000}x", run.Completed, run.Status(404), run.RequestsPerSecond, run.Latency.PercentileMs(99), reads, filtered, perThousand);
            report.Check($"Unknown codes ({name}): store reads per 1,000 requests", perThousand, "<=", name == "random" ? RandomUnknownReadsTarget : RepeatedUnknownReadsTarget);
        }

        report.Tables.Add(unknown);
        report.Notes.Add("Unknown codes seen before are answered by the negative cache (repeated); a new code each time (random) is answered by the "
            + "tenant's filter of existing codes (a Bloom filter, about 1 % false positives, each of which reads the store once).");

        await service.Ops.WaitForDrainAsync(ledger.Acknowledged, TimeSpan.FromMinutes(5), cancellationToken);
        var audit = await ClickAudit.ByStatsAsync(tenant, ledger.Acknowledged, cancellationToken);
        // Every click this server captured is the tenant's (unknown codes capture none): the counters hold against the totals.
        var writer = await service.Ops.GetWriterAsync(cancellationToken);
        report.Figure("writer.captured", writer.Captured);
        report.Figure("writer.rows_inserted", writer.RowsInserted);
        report.Figure("writer.duplicates", writer.Duplicates);
        report.Integrity.Add(audit with { Writer = WriterCounts.Of(writer) });
        await service.StopAsync(report);
    }
}
