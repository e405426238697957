using LinkTracker.Core.Links;
using LinkTracker.Links;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracker.Tests.Links;

/// <summary>While the shared cache is not heard from, a cached link is trusted for the configured bound only.</summary>
public class LinkCacheStaleBoundTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(3);
    private readonly FakeTimeProvider _time = new();
    private readonly ChangingLookup _store = new();
    private readonly LinkCache _cache;

    public LinkCacheStaleBoundTests() =>
        _cache = new LinkCache(_store, Options.Create(new LinkCacheOptions { StaleBoundWhenSharedCacheDown = Bound }), NullLogger<LinkCache>.Instance, new DownSharedCache(), time: _time);

    [Fact]
    public async Task Without_word_from_the_shared_cache_a_link_changed_elsewhere_is_seen_within_the_bound()
    {
        Assert.Equal("https://example.com/v1", await DestinationAsync());
        _time.Advance(Bound); // the last ping answered at the start; Redis went down since
        _store.Destination = "https://example.com/v2"; // another node's change, whose broadcast could not go out

        Assert.Equal("https://example.com/v1", await DestinationAsync()); // still within the bound of its load
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("https://example.com/v2", await DestinationAsync());
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task While_the_shared_cache_answers_pings_a_link_is_trusted_until_its_ttl()
    {
        Assert.Equal("https://example.com/v1", await DestinationAsync());
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(Bound / 4);
            _cache.SharedCacheConfirmed(_time.GetTimestamp());
            Assert.Equal("https://example.com/v1", await DestinationAsync());
        }

        Assert.Equal(1, _store.Reads);
    }

    [Fact]
    public async Task An_unknown_code_is_trusted_as_missing_for_the_bound_only_too()
    {
        _store.Destination = null;
        Assert.Null(await _cache.GetAsync("acme", "a", CancellationToken.None));
        _store.Destination = "https://example.com/created";
        _time.Advance(Bound + TimeSpan.FromMilliseconds(1));

        Assert.Equal("https://example.com/created", await DestinationAsync());
    }

    private async Task<string?> DestinationAsync() => (await _cache.GetAsync("acme", "a", CancellationToken.None))?.Destination;

    private sealed class ChangingLookup : ILinkLookup
    {
        public string? Destination { get; set; } = "https://example.com/v1";

        public int Reads { get; private set; }

        public Task<SharedLink> FindAsync(string tenant, string code, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(Destination is null ? SharedLink.Missing : new SharedLink(true, Destination, null, false));
        }
    }

    /// <summary>Redis is down: every call fails.</summary>
    private sealed class DownSharedCache : ISharedLinkCache
    {
        public Task<SharedLinkRead> GetAsync(string tenant, string code, CancellationToken cancellationToken) => throw new TimeoutException("down");

        public Task<bool> SetAsync(string tenant, string code, SharedLink link, long generation, TimeSpan timeToLive, CancellationToken cancellationToken) => throw new TimeoutException("down");

        public Task<bool> InvalidateAsync(string tenant, string code, CancellationToken cancellationToken) => throw new TimeoutException("down");

        public Task SubscribeAsync(Action<string, string> onInvalidated, CancellationToken cancellationToken) => Task.CompletedTask;

        public void OnConnectionRestored(Action onRestored)
        {
        }

        public Task PingAsync(CancellationToken cancellationToken) => throw new TimeoutException("down");
    }
}
