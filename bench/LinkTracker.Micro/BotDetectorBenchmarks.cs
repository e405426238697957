using BenchmarkDotNet.Attributes;
using LinkTracker.Redirects;

namespace LinkTracker.Micro;

/// <summary>Is this user agent a person's browser or a bot, scanner or library?</summary>
[MemoryDiagnoser]
public class BotDetectorBenchmarks
{
    private readonly string _browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0";
    private readonly string _bot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    private readonly string _scanner = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Proofpoint URL Defense";

    // Fields, not constants, so the JIT cannot fold the answer.
    private readonly string _missing = string.Empty;

    [Benchmark(Baseline = true)]
    public bool BrowserAgent() => BotDetector.IsBot(_browser);

    [Benchmark]
    public bool Googlebot() => BotDetector.IsBot(_bot);

    [Benchmark]
    public bool MailScanner() => BotDetector.IsBot(_scanner);

    [Benchmark]
    public bool Missing() => BotDetector.IsBot(_missing);
}
