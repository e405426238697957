using BenchmarkDotNet.Attributes;
using LinkTracker.Links;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LinkTracker.Micro;

/// <summary>Code → link on a cache hit (the steady state of the redirect), and on a remembered unknown code.</summary>
[MemoryDiagnoser]
public class LinkCacheBenchmarks
{
    private LinkCache _cache = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _cache = new LinkCache(new FakeLinkStore(), Options.Create(new LinkCacheOptions()), NullLogger<LinkCache>.Instance);
        for (var i = 0; i < 10_000; i++)
        {
            await _cache.GetAsync("acme", $"code{i}", CancellationToken.None);
        }
    }

    [Benchmark(Baseline = true)]
    public ValueTask<CachedLink?> Hit() => _cache.GetAsync("acme", "code5000", CancellationToken.None);

    [Benchmark]
    public ValueTask<CachedLink?> HitOtherTenantKey() => _cache.GetAsync("acme", "code9999", CancellationToken.None);
}
