using System.Buffers;
using System.Text.RegularExpressions;
using BitFaster.Caching;
using BitFaster.Caching.Lru;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>
/// Known crawler, link-preview and scanner user agents: the maintained list of crawler-user-agents (Data/, with its
/// source and licence) and this project's own scanner markers. Most patterns are plain text, searched all at once;
/// each regular expression is tried only when the plain run it requires (<see cref="RequiredLiteral"/>) occurs in the
/// agent, so a browser's agent, which has none of them, costs a few vectorised searches. Verdicts are cached per
/// agent (bounded LRU), since a mailing repeats a few agents many times.
/// </summary>
public sealed class CrawlerList
{
    /// <summary>Distinct agents whose verdict is kept.</summary>
    public const int CacheCapacity = 20_000;

    private static readonly SearchValues<char> RegexCharacters = SearchValues.Create(@"\[]().*+?^$|{}");
    private readonly SearchValues<string> _literals;
    private readonly SearchValues<string> _markers;
    private readonly SearchValues<string> _gates;
    private readonly (string Gate, Regex Pattern)[] _gated;
    private readonly Regex? _ungated;
    private readonly ICache<string, bool> _verdicts = new ConcurrentLruBuilder<string, bool>().WithCapacity(CacheCapacity).Build();

    public CrawlerList()
    {
        Patterns = EnrichmentData.Lines("crawler-user-agents.txt");
        var plain = Patterns.Select(p => p.Replace("\\/", "/", StringComparison.Ordinal)).ToArray();
        var expressions = Patterns.Where((_, i) => plain[i].AsSpan().IndexOfAny(RegexCharacters) >= 0).ToArray();
        _literals = SearchValues.Create([.. plain.Where(p => p.AsSpan().IndexOfAny(RegexCharacters) < 0)], StringComparison.Ordinal);
        _markers = SearchValues.Create([.. EnrichmentData.Lines("scanner-user-agents.txt")], StringComparison.OrdinalIgnoreCase);

        const RegexOptions options = RegexOptions.CultureInvariant | RegexOptions.Compiled;
        _gated = [.. expressions.Select(p => (Gate: RequiredLiteral.Of(p), Pattern: p)).Where(g => g.Gate is not null)
            .Select(g => (g.Gate!, new Regex(g.Pattern, options)))];
        _gates = SearchValues.Create([.. _gated.Select(g => g.Gate).Distinct(StringComparer.Ordinal)], StringComparison.Ordinal);
        var ungated = expressions.Where(p => RequiredLiteral.Of(p) is null).ToArray();
        _ungated = ungated.Length == 0 ? null : new Regex(string.Join('|', ungated.Select(p => $"(?:{p})")), options);
    }

    /// <summary>The regular expressions of the maintained list, as shipped.</summary>
    public IReadOnlyList<string> Patterns { get; }

    public bool IsCrawler(string userAgent) => _verdicts.GetOrAdd(userAgent, Judge);

    private bool Judge(string userAgent)
    {
        var agent = userAgent.AsSpan();
        if (agent.ContainsAny(_markers) || agent.ContainsAny(_literals) || _ungated?.IsMatch(userAgent) == true)
        {
            return true;
        }

        if (!agent.ContainsAny(_gates))
        {
            return false;
        }

        foreach (var (gate, pattern) in _gated)
        {
            if (agent.Contains(gate, StringComparison.Ordinal) && pattern.IsMatch(userAgent))
            {
                return true;
            }
        }

        return false;
    }
}
