using BenchmarkDotNet.Attributes;
using LinkTracker.Clicks.Enrichment;

namespace LinkTracker.Micro;

/// <summary>
/// The two user-agent steps of the enrichment stage apart, each over 1,000 agents it has never seen (fresh every
/// iteration, so the per-agent caches miss): the crawler list's verdict and the device/browser/OS families. Browser
/// agents are what a mailing mostly sees; the crawler list must say "no" to them cheaply.
/// </summary>
[MemoryDiagnoser]
public class UserAgentBenchmarks
{
    private static readonly string[] Browsers =
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    ];

    private CrawlerList _crawlers = null!;
    private UserAgentFamilies _families = null!;
    private string[] _agents = null!;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _crawlers = new CrawlerList();
        _families = new UserAgentFamilies();
    }

    [IterationSetup]
    public void NewAgents()
    {
        var round = ++_round;
        _agents = [.. Enumerable.Range(0, 1_000).Select(i => $"{Browsers[i % Browsers.Length]} build/{round}.{i}")];
    }

    [Benchmark(OperationsPerInvoke = 1_000)]
    public int CrawlerVerdict()
    {
        var crawlers = 0;
        foreach (var agent in _agents)
        {
            crawlers += _crawlers.IsCrawler(agent) ? 1 : 0;
        }

        return crawlers;
    }

    [Benchmark(OperationsPerInvoke = 1_000)]
    public int Families()
    {
        var length = 0;
        foreach (var agent in _agents)
        {
            length += _families.Parse(agent).Browser.Length;
        }

        return length;
    }
}
