using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>
/// Device, browser and OS families of a user agent, from the ordered rules of Data/user-agent-families.tsv (first
/// match per field wins; "other" when none does). Results are cached per user agent.
/// </summary>
public sealed class UserAgentFamilies
{
    public const string Other = "other";
    private const int MaxCached = 50_000;
    private readonly (string Field, string Family, Regex Pattern)[] _rules;
    private readonly ConcurrentDictionary<string, UserAgentFamily> _cache = new(StringComparer.Ordinal);

    public UserAgentFamilies()
    {
        _rules = [.. EnrichmentData.Lines("user-agent-families.tsv").Select(line => line.Split('\t')).Select(parts => (
            parts[0], parts[1], new Regex(parts[2], RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled)))];
    }

    public UserAgentFamily Parse(string userAgent)
    {
        if (_cache.TryGetValue(userAgent, out var known))
        {
            return known;
        }

        var family = new UserAgentFamily(Find("device", userAgent), Find("browser", userAgent), Find("os", userAgent));
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[userAgent] = family;
        return family;
    }

    private string Find(string field, string userAgent)
    {
        foreach (var (f, family, pattern) in _rules)
        {
            if (f == field && pattern.IsMatch(userAgent))
            {
                return family;
            }
        }

        return Other;
    }
}
