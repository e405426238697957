using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LinkTracker.Legacy;

/// <summary>
/// Each tenant's legacy base URL and not-found/gone addresses as the redirect path needs them, read at most once per Legacy:SettingsRefresh from
/// its source; a PUT /api/settings on this node takes effect at once, on other nodes within the refresh.
/// </summary>
public sealed class LegacySettingsCache(ILegacySource source, IOptions<LegacyOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _refresh = options.Value.SettingsRefresh;

    /// <returns>The tenant's legacy base URL, or null when it has none.</returns>
    public async ValueTask<string?> GetAsync(string tenant, CancellationToken cancellationToken) =>
        (await GetSettingsAsync(tenant, cancellationToken)).BaseUrl;

    /// <returns>The tenant's legacy base URL and not-found/gone addresses, from memory unless older than the refresh.</returns>
    public async ValueTask<LegacySourceResponse> GetSettingsAsync(string tenant, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(tenant, out var entry) && entry.ReadAt + _refresh > now)
        {
            return entry.Settings;
        }

        var settings = await source.FindSettingsAsync(tenant, cancellationToken);
        _entries[tenant] = new Entry(settings, now);
        return settings;
    }

    /// <summary>The tenant's settings changed on this node.</summary>
    public void Forget(string tenant) => _entries.TryRemove(tenant, out _);

    private sealed record Entry(LegacySourceResponse Settings, DateTimeOffset ReadAt);
}
