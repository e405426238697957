using System.Buffers;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>
/// Known crawler, link-preview and scanner user agents: the maintained list of crawler-user-agents (Data/, with its
/// source and licence) and this project's own scanner markers. Verdicts are cached per user agent, since a batch
/// repeats a few agents many times.
/// </summary>
public sealed class CrawlerList
{
    private const int MaxCached = 50_000;
    private static readonly SearchValues<char> RegexCharacters = SearchValues.Create(@"\[]().*+?^$|{}");
    private readonly SearchValues<string> _literals;
    private readonly Regex _patterns;
    private readonly SearchValues<string> _markers;
    private readonly ConcurrentDictionary<string, bool> _verdicts = new(StringComparer.Ordinal);

    public CrawlerList()
    {
        Patterns = EnrichmentData.Lines("crawler-user-agents.txt");
        // Most patterns are plain text: those are searched all at once (SearchValues), the rest by one expression.
        var literals = Patterns.Select(p => p.Replace("\\/", "/", StringComparison.Ordinal)).Where(p => p.AsSpan().IndexOfAny(RegexCharacters) < 0).ToArray();
        var expressions = Patterns.Where(p => p.Replace("\\/", "/", StringComparison.Ordinal).AsSpan().IndexOfAny(RegexCharacters) >= 0);
        _literals = SearchValues.Create(literals, StringComparison.Ordinal);
        _patterns = new Regex(string.Join('|', expressions.Select(p => $"(?:{p})")), RegexOptions.CultureInvariant | RegexOptions.Compiled);
        _markers = SearchValues.Create([.. EnrichmentData.Lines("scanner-user-agents.txt")], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The regular expressions of the maintained list, as shipped.</summary>
    public IReadOnlyList<string> Patterns { get; }

    public bool IsCrawler(string userAgent)
    {
        if (_verdicts.TryGetValue(userAgent, out var known))
        {
            return known;
        }

        var verdict = userAgent.AsSpan().ContainsAny(_markers) || userAgent.AsSpan().ContainsAny(_literals) || _patterns.IsMatch(userAgent);
        if (_verdicts.Count >= MaxCached)
        {
            _verdicts.Clear();
        }

        _verdicts[userAgent] = verdict;
        return verdict;
    }
}
