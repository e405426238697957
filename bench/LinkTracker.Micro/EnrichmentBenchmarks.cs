using BenchmarkDotNet.Attributes;
using LinkTracker.Clicks;
using LinkTracker.Clicks.Enrichment;
using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracker.Micro;

/// <summary>
/// The writer's enrichment stage with every enricher on (classification, mail scanners, device, geo when
/// LINKTRACKER_BENCH_MMDB names a database, address truncation) over one batch of 1,000 clicks: the writer's clicks/s
/// before the store. Repeated agents: 40 agents over the batch (the caches hit, as in a mailing); distinct agents: every
/// click a user agent never seen (the worst case for the crawler list and the family rules); distinct recipients: a
/// blast at 7,000 clicks/s, each click its own recipient, so the mail-scanner detector remembers a window's worth.
/// </summary>
[MemoryDiagnoser]
public class EnrichmentBenchmarks
{
    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    ];

    private EnrichmentStage _stage = null!;
    private Click[] _repeated = null!;
    private Click[] _distinct = null!;
    private EnrichmentStage _blastStage = null!;
    private Click[] _blast = null!;
    private int _round;
    private int _blastRound;

    [GlobalSetup]
    public void Setup()
    {
        var capture = Options.Create(new CaptureOptions());
        _stage = new EnrichmentStage([
            new HumanClassifier(new CrawlerList()),
            new MailScannerDetector(Options.Create(new EnrichmentOptions())),
            new DeviceEnricher(new UserAgentFamilies()),
            new GeoEnricher(Options.Create(new GeoOptions { DatabasePath = Environment.GetEnvironmentVariable("LINKTRACKER_BENCH_MMDB") }), NullLogger<GeoEnricher>.Instance),
            new AddressTruncation(capture),
        ]);
        _repeated = Batch(i => Agents[i % Agents.Length] + (i % 8));
        _blastStage = new EnrichmentStage([
            new HumanClassifier(new CrawlerList()),
            new MailScannerDetector(Options.Create(new EnrichmentOptions())),
            new DeviceEnricher(new UserAgentFamilies()),
            new AddressTruncation(capture),
        ]);
    }

    [IterationSetup(Target = nameof(DistinctRecipients))]
    public void NewRecipients()
    {
        // 1,000 clicks are 143 ms of a 7,000 clicks/s blast; each batch's recipients are new.
        var round = ++_blastRound;
        var at = DateTimeOffset.UnixEpoch.AddYears(56).AddMilliseconds(round * 143);
        _blast = [.. Enumerable.Range(0, 1_000).Select(i => new Click(
            Guid.CreateVersion7(at), "acme", "c" + (i % 50), $"user-{round}-{i}", at.AddTicks(i * 1_430), Agents[i % 4],
            null, $"203.0.{i % 200}.{i % 250}", ClickFlags.None))];
    }

    [IterationSetup(Target = nameof(DistinctAgents))]
    public void NewAgents()
    {
        var round = ++_round;
        _distinct = Batch(i => $"{Agents[i % Agents.Length]} build/{round}.{i}");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1_000)]
    public Click[] RepeatedAgents() => _stage.Enrich("acme", _repeated);

    [Benchmark(OperationsPerInvoke = 1_000)]
    public Click[] DistinctAgents() => _stage.Enrich("acme", _distinct);

    [Benchmark(OperationsPerInvoke = 1_000)]
    public Click[] DistinctRecipients() => _blastStage.Enrich("acme", _blast);

    private static Click[] Batch(Func<int, string> agent)
    {
        var at = DateTimeOffset.UtcNow;
        return [.. Enumerable.Range(0, 1_000).Select(i => new Click(
            Guid.CreateVersion7(at), "acme", "c" + (i % 50), "user-" + i, at.AddMilliseconds(i * 20), agent(i),
            "https://mail.example.com/", $"203.0.{i % 200}.{i % 250}", ClickFlags.None))];
    }
}
