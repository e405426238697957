using System.Text.RegularExpressions;
using BitFaster.Caching;
using BitFaster.Caching.Lru;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>
/// Device, browser and OS families of a user agent, from the ordered rules of Data/user-agent-families.tsv (first
/// match per field wins; "other" when none does). Results are cached per user agent (bounded LRU).
/// </summary>
public sealed class UserAgentFamilies
{
    public const string Other = "other";

    /// <summary>Distinct agents whose families are kept.</summary>
    public const int CacheCapacity = 20_000;

    private readonly (string Family, Regex Pattern)[] _devices;
    private readonly (string Family, Regex Pattern)[] _browsers;
    private readonly (string Family, Regex Pattern)[] _systems;
    private readonly ICache<string, UserAgentFamily> _cache =
        new ConcurrentLruBuilder<string, UserAgentFamily>().WithCapacity(CacheCapacity).Build();

    public UserAgentFamilies()
    {
        var rules = EnrichmentData.Lines("user-agent-families.tsv").Select(line => line.Split('\t')).Select(parts => (
            Field: parts[0], Family: parts[1], Pattern: new Regex(parts[2], RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled)))
            .ToArray();
        _devices = Field("device");
        _browsers = Field("browser");
        _systems = Field("os");

        (string, Regex)[] Field(string name) => [.. rules.Where(r => r.Field == name).Select(r => (r.Family, r.Pattern))];
    }

    public UserAgentFamily Parse(string userAgent) => _cache.GetOrAdd(userAgent, Find);

    private UserAgentFamily Find(string userAgent) => new(Find(_devices, userAgent), Find(_browsers, userAgent), Find(_systems, userAgent));

    private static string Find((string Family, Regex Pattern)[] rules, string userAgent)
    {
        foreach (var (family, pattern) in rules)
        {
            if (pattern.IsMatch(userAgent))
            {
                return family;
            }
        }

        return Other;
    }
}
