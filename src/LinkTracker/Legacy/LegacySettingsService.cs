using LinkTracker.Core.Legacy;
using Microsoft.Extensions.Options;

namespace LinkTracker.Legacy;

/// <summary>The legacyBaseUrl of PUT /api/settings: its rules, and saving it so this node's redirects follow at once.</summary>
public sealed class LegacySettingsService(ILegacyStore store, LegacySettingsCache cache, IOptions<LegacyOptions> options)
{
    /// <returns>Why the URL cannot be the tenant's legacy base URL, or null when it can (or is absent: no fallback).</returns>
    public string? Validate(string? baseUrl) =>
        baseUrl is null ? null : LegacyBaseUrl.Validate(baseUrl, options.Value.AllowPrivateTargets);

    public async Task<string?> GetAsync(string tenant, CancellationToken cancellationToken) =>
        (await store.GetSettingsAsync(tenant, cancellationToken))?.BaseUrl;

    public async Task SaveAsync(string tenant, string? baseUrl, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await store.SaveSettingsAsync(tenant, new LegacySettings(baseUrl, at), cancellationToken);
        cache.Forget(tenant);
    }
}
