using System.Net;
using LinkTracker.Core.Links;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Links;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Redirects;

/// <summary>When a link's source (the store, or on an edge the api nodes) is down, the redirect says so and cached links go on.</summary>
public sealed class LookupFailureTests : IAsyncLifetime
{
    private readonly FailingLookup _lookup = new();
    private TestService _service = null!;
    private HttpClient _acme = null!;

    public async Task InitializeAsync()
    {
        _service = await TestService.StartAsync(services =>
        {
            services.AddSingleton<StoreLinkLookup>();
            services.AddSingleton<ILinkLookup>(sp => _lookup.Wrap(sp.GetRequiredService<StoreLinkLookup>()));
        });
        var key = await _service.AddTenantAsync("acme");
        using var api = _service.Client("acme", key);
        (await api.PostJsonAsync("/api/links", new { url = "https://example.com/a", code = "a" })).EnsureSuccessStatusCode();
        (await api.PostJsonAsync("/api/links", new { url = "https://example.com/b", code = "b" })).EnsureSuccessStatusCode();
        _acme = _service.Client("acme");
    }

    public async Task DisposeAsync()
    {
        _acme.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task An_uncached_link_gets_503_with_Retry_After_while_a_cached_one_still_redirects()
    {
        Assert.Equal(HttpStatusCode.Found, (await _acme.GetAsync("/a?r=ann")).StatusCode);

        _lookup.Down = true;
        var cached = await _acme.GetAsync("/a?r=bob");
        var uncached = await _acme.GetAsync("/b?r=bob");
        _lookup.Down = false;
        var back = await _acme.GetAsync("/b?r=cid");

        Assert.Equal(HttpStatusCode.Found, cached.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, uncached.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), uncached.Headers.RetryAfter?.Delta);
        Assert.Contains("try again", await uncached.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Found, back.StatusCode);
    }

    private sealed class FailingLookup
    {
        public volatile bool Down;

        public ILinkLookup Wrap(ILinkLookup inner) => new Lookup(this, inner);

        private sealed class Lookup(FailingLookup state, ILinkLookup inner) : ILinkLookup
        {
            public Task<SharedLink> FindAsync(string tenant, string code, CancellationToken cancellationToken) =>
                state.Down ? throw new HttpRequestException("No api node answered (test).") : inner.FindAsync(tenant, code, cancellationToken);
        }
    }
}
