using LinkTracker.Core.Legacy;
using Microsoft.Extensions.Options;

namespace LinkTracker.Legacy;

/// <summary>The legacyBaseUrl, notFoundUrl and goneUrl of PUT /api/settings: rules, and saving so this node's redirects follow at once.</summary>
public sealed class LegacySettingsService(ILegacyStore store, LegacySettingsCache cache, IOptions<LegacyOptions> options)
{
    /// <returns>Why the URL cannot be the tenant's legacy base URL, or null when it can (or is absent: no fallback).</returns>
    public string? Validate(string? baseUrl) =>
        baseUrl is null ? null : LegacyBaseUrl.Validate(baseUrl, options.Value.AllowPrivateTargets);

    public Task<LegacySettings?> GetAsync(string tenant, CancellationToken cancellationToken) =>
        store.GetSettingsAsync(tenant, cancellationToken);

    /// <summary>Saves the legacy base URL and the not-found and gone addresses (null: none).</summary>
    public async Task SaveAsync(string tenant, LegacySettings settings, CancellationToken cancellationToken)
    {
        await store.SaveSettingsAsync(tenant, settings, cancellationToken);
        cache.Forget(tenant);
    }
}
