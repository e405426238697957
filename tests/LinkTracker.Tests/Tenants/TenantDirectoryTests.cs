using LinkTracker.Core.Tenants;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracker.Tests.Tenants;

public class TenantDirectoryTests
{
    private sealed class FakeCatalog : ITenantSource
    {
        public List<Tenant> Tenants { get; } = [];

        public int Reads { get; private set; }

        public Task<IReadOnlyList<Tenant>> ListTenantsAsync(CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult<IReadOnlyList<Tenant>>([.. Tenants]);
        }
    }

    private static Tenant NewTenant(string slug) => new(slug, slug, DateTimeOffset.UnixEpoch);

    private static (TenantDirectory, FakeCatalog, FakeTimeProvider) Create()
    {
        var catalog = new FakeCatalog();
        var time = new FakeTimeProvider();
        return (new TenantDirectory(catalog, Options.Create(new TenantOptions()), time), catalog, time);
    }

    [Theory]
    [InlineData("acme.localhost")]
    [InlineData("acme.localhost:5000")]
    [InlineData("ACME.LocalHost:80")]
    public async Task Resolves_a_tenant_host_with_or_without_port_in_any_case(string host)
    {
        var (directory, catalog, _) = Create();
        catalog.Tenants.Add(NewTenant("acme"));
        await directory.ReloadAsync(CancellationToken.None);

        Assert.Equal("acme", directory.Resolve(host)?.Slug);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:5000")]
    [InlineData("a.acme.localhost")]
    [InlineData("acme.example.com")]
    [InlineData("acmelocalhost")]
    public async Task Other_hosts_resolve_to_no_tenant(string host)
    {
        var (directory, catalog, _) = Create();
        catalog.Tenants.Add(NewTenant("acme"));
        await directory.ReloadAsync(CancellationToken.None);

        Assert.Null(directory.Resolve(host));
    }

    [Fact]
    public async Task A_tenant_added_right_after_a_reload_is_found_on_its_first_request()
    {
        var (directory, catalog, time) = Create();
        await directory.ReloadAsync(CancellationToken.None);
        catalog.Tenants.Add(NewTenant("beta"));

        var resolving = directory.ResolveOrReloadAsync("beta.localhost", CancellationToken.None).AsTask();
        Assert.False(resolving.IsCompleted); // the last reload was just now: it waits for the next allowed one
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("beta", (await resolving)?.Slug);
    }

    [Fact]
    public async Task Many_unknown_hosts_read_the_catalog_once_a_second_at_most()
    {
        var (directory, catalog, time) = Create();
        await directory.ReloadAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        var before = catalog.Reads;

        // The first unknown host reloads at once; the other 19 wait for the next second and share one reload.
        var lookups = Enumerable.Range(0, 20).Select(i => directory.ResolveOrReloadAsync($"scan{i}.localhost", CancellationToken.None).AsTask()).ToList();
        Assert.Equal(before + 1, catalog.Reads);
        Assert.Equal(19, lookups.Count(l => !l.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(lookups);

        Assert.All(lookups, l => Assert.Null(l.Result));
        Assert.Equal(before + 2, catalog.Reads);
    }
}
