using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LinkTracker.Legacy;

/// <summary>
/// Each tenant's legacy base URL as the redirect path needs it, read at most once per Legacy:SettingsRefresh from
/// its source; a PUT /api/settings on this node takes effect at once, on other nodes within the refresh.
/// </summary>
public sealed class LegacySettingsCache(ILegacySource source, IOptions<LegacyOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _refresh = options.Value.SettingsRefresh;

    /// <returns>The tenant's legacy base URL, or null when it has none.</returns>
    public async ValueTask<string?> GetAsync(string tenant, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(tenant, out var entry) && entry.ReadAt + _refresh > now)
        {
            return entry.BaseUrl;
        }

        var baseUrl = await source.FindBaseUrlAsync(tenant, cancellationToken);
        _entries[tenant] = new Entry(baseUrl, now);
        return baseUrl;
    }

    /// <summary>The tenant's settings changed on this node.</summary>
    public void Forget(string tenant) => _entries.TryRemove(tenant, out _);

    private sealed record Entry(string? BaseUrl, DateTimeOffset ReadAt);
}
