using LinkTracker.Core.Analytics;

namespace LinkTracker.Core.Links;

/// <summary>The rule both engines apply when recording imported links: which rollup rows change, and by how much.</summary>
public static class ImportLedger
{
    /// <summary>Whether recording <paramref name="next"/> over <paramref name="previous"/> changes anything.</summary>
    public static bool Changes(ImportedLink? previous, ImportedLink next) => previous is null || previous != next;

    /// <summary>
    /// The rollup changes of replacing each earlier entry (or none) by its new one: the earlier clicks leave their hour
    /// and scopes, the new ones are added to theirs. Rows that net to zero are left out.
    /// </summary>
    public static IReadOnlyDictionary<(string Scope, DateTimeOffset Hour), (long Clicks, long HumanClicks)> RollupDeltas(
        IEnumerable<(ImportedLink? Previous, ImportedLink Next)> changes)
    {
        var deltas = new Dictionary<(string, DateTimeOffset), (long Clicks, long HumanClicks)>();
        foreach (var (previous, next) in changes)
        {
            if (previous is not null)
            {
                Add(deltas, previous, -1);
            }

            Add(deltas, next, 1);
        }

        return deltas.Where(d => d.Value != (0, 0)).ToDictionary(d => d.Key, d => d.Value);
    }

    /// <summary>The scopes a link's clicks count in: the tenant, the link, and its campaign when it has one.</summary>
    public static IEnumerable<string> Scopes(string code, string? campaign)
    {
        yield return StatsScope.Tenant.RollupKey;
        yield return StatsScope.ForLink(code).RollupKey;
        if (campaign is not null)
        {
            yield return StatsScope.ForCampaign(campaign).RollupKey;
        }
    }

    /// <summary>The start of the UTC hour that holds <paramref name="at"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    private static void Add(Dictionary<(string, DateTimeOffset), (long Clicks, long HumanClicks)> deltas, ImportedLink link, int sign)
    {
        if (link.Clicks == 0 && link.HumanClicks == 0)
        {
            return;
        }

        foreach (var scope in Scopes(link.Code, link.Campaign))
        {
            var key = (scope, link.Hour);
            var (clicks, human) = deltas.GetValueOrDefault(key);
            deltas[key] = (clicks + (sign * link.Clicks), human + (sign * link.HumanClicks));
        }
    }
}
