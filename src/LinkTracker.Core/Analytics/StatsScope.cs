namespace LinkTracker.Core.Analytics;

/// <summary>What a rollup counts: the whole tenant, one link or one campaign.</summary>
public readonly record struct StatsScope(StatsScopeKind Kind, string? Name)
{
    public static StatsScope Tenant { get; } = new(StatsScopeKind.Tenant, null);

    public static StatsScope ForLink(string code) => new(StatsScopeKind.Link, code);

    public static StatsScope ForCampaign(string campaign) => new(StatsScopeKind.Campaign, campaign);

    /// <summary>The key rollups and first-seen records are stored under, in every engine: '*', 'l:&lt;code&gt;' or 'c:&lt;campaign&gt;'.</summary>
    public string RollupKey => Kind switch
    {
        StatsScopeKind.Link => "l:" + Name,
        StatsScopeKind.Campaign => "c:" + Name,
        _ => "*",
    };
}
