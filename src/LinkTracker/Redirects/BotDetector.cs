using System.Buffers;

namespace LinkTracker.Redirects;

/// <summary>
/// Flags user agents that are not people: crawlers, link previewers, mail security scanners that open every
/// link, and HTTP libraries. Browsers always send a user agent, so a missing one is flagged too.
/// </summary>
public static class BotDetector
{
    private static readonly SearchValues<string> Markers = SearchValues.Create(
        [
            "bot", "crawl", "spider", "slurp", "preview", "scanner", "headless", "facebookexternalhit", "embedly",
            "python-requests", "python-urllib", "go-http-client", "okhttp", "java/", "libwww", "wget", "apache-httpclient",
            "proofpoint", "barracuda", "mimecast", "safelinks", "urlscan", "lighthouse", "pingdom", "uptime",
        ],
        StringComparison.OrdinalIgnoreCase);

    public static bool IsBot(ReadOnlySpan<char> userAgent) => userAgent.IsWhiteSpace() || userAgent.ContainsAny(Markers);
}
