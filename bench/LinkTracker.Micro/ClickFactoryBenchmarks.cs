using System.Net;
using BenchmarkDotNet.Attributes;
using LinkTracker.Core.Clicks;
using LinkTracker.Redirects;
using Microsoft.AspNetCore.Http;

namespace LinkTracker.Micro;

/// <summary>Minting the click of a redirect from the request: id, recipient, flags, user agent, referrer, full address (truncated later by the writer, ADR 19).</summary>
[MemoryDiagnoser]
public class ClickFactoryBenchmarks
{
    private readonly ClickFactory _factory = new();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private DefaultHttpContext _browser = null!;
    private DefaultHttpContext _bot = null!;

    [GlobalSetup]
    public void Setup()
    {
        _browser = Request("alice@example.com", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        _bot = Request(null, "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
    }

    [Benchmark(Baseline = true)]
    public Click BrowserWithRecipient() => _factory.Create("acme", "Ab3xYz9", _browser, _now);

    [Benchmark]
    public Click BotWithoutRecipient() => _factory.Create("acme", "Ab3xYz9", _bot, _now);

    // The parts of Create, to see where its time goes.
    [Benchmark]
    public Guid MintIdOnly() => ClickIds.NewId(_now);

    /// <summary>The runtime's UUIDv7, which asks the OS for randomness on every call: what ClickIds replaced.</summary>
    [Benchmark]
    public Guid MintIdWithRuntime() => Guid.CreateVersion7(_now);

    [Benchmark]
    public string? ReadRecipientOnly() => RecipientParameter.Read(RecipientParameter.Find(_browser.Request.QueryString), out _);

    private static DefaultHttpContext Request(string? recipient, string userAgent)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/Ab3xYz9";
        context.Request.QueryString = recipient is null ? QueryString.Empty : QueryString.Create("r", recipient);
        context.Request.Headers.UserAgent = userAgent;
        context.Request.Headers.Referer = "https://mail.example.com/";
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.77");
        return context;
    }
}
