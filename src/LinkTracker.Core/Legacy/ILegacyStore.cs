namespace LinkTracker.Core.Legacy;

/// <summary>
/// A tenant's way off its legacy link tracker (strangler): where the legacy system is, the links learned from its
/// answers, and the counts of the migration view. Adapters run SQL only; which flag marks a legacy answer is the caller's.
/// </summary>
public interface ILegacyStore
{
    /// <returns>The legacy system's base URL; null when the tenant has none (no fallback).</returns>
    Task<LegacySettings?> GetSettingsAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>Replaces the tenant's legacy settings (a null base URL turns the fallback off).</summary>
    Task SaveSettingsAsync(string tenant, LegacySettings settings, CancellationToken cancellationToken);

    /// <summary>Adds the link the legacy system answered with (source 'legacy'), unless the code is taken (live or deleted).</summary>
    /// <returns>Whether the link was added.</returns>
    Task<bool> LearnAsync(string tenant, LearnedLink link, CancellationToken cancellationToken);

    /// <summary>Clicks in [<paramref name="from"/>, <paramref name="to"/>) with and without <paramref name="legacyFlag"/>, and links learned then.</summary>
    Task<LegacyCounts> CountAsync(string tenant, DateTimeOffset from, DateTimeOffset to, int legacyFlag, CancellationToken cancellationToken);

    /// <summary>
    /// The codes from the legacy world still clicked in [<paramref name="from"/>, <paramref name="to"/>): clicks answered
    /// by the legacy system (<paramref name="legacyFlag"/>) or on learned links, most clicked first, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<LegacyCodeCount>> TopCodesAsync(
        string tenant, DateTimeOffset from, DateTimeOffset to, int legacyFlag, int limit, CancellationToken cancellationToken);
}
