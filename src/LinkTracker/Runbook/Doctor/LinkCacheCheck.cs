using LinkTracker.Links;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Doctor;

/// <summary>The link cache misses too often: cold (still filling after a start) or thrashing (full, evicting links still in use).</summary>
public sealed class LinkCacheCheck(LinkCache cache, IOptions<LinkCacheOptions> cacheOptions, IOptions<DoctorOptions> options) : IDoctorCheck
{
    public string Name => "link-cache";

    public Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var lookups = cache.Lookups;
        var ratio = cache.HitRatio;
        if (lookups < o.LinkCacheMinimumLookups || ratio >= o.LinkCacheHitRatio)
        {
            return Task.FromResult<IReadOnlyList<DoctorProblem>>([]);
        }

        var capacity = cacheOptions.Value.Capacity;
        var thrashing = cache.Evictions > 0 && cache.Count >= capacity * 0.95;
        var evidence = $"hit ratio {DoctorText.Percent(ratio)} over {lookups} lookups since start (judged below {DoctorText.Percent(o.LinkCacheHitRatio)}); "
            + $"{cache.Count} of {capacity} links cached (LinkCache:Capacity), {cache.Evictions} evicted; {cache.StoreReads} reads reached the store.";
        return Task.FromResult<IReadOnlyList<DoctorProblem>>(
        [
            new DoctorProblem(Name, DoctorSeverity.Warning,
                thrashing
                    ? "The link cache is thrashing: it is full and evicts links that are clicked again, so redirects read the store."
                    : "The link cache is cold: most redirects miss it (normal for a while after a start).",
                evidence, RunbookSections.LinkCache),
        ]);
    }
}
