using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Api;

public sealed class TenantIsolationTests : IAsyncLifetime
{
    private TestService _service = null!;
    private string _acmeKey = null!;
    private string _globexKey = null!;

    public async Task InitializeAsync()
    {
        _service = await TestService.StartAsync();
        _acmeKey = await _service.AddTenantAsync("acme");
        _globexKey = await _service.AddTenantAsync("globex");
        using var acme = _service.Client("acme", _acmeKey);
        (await acme.PostJsonAsync("/api/links", new { url = "https://acme.example/secret", code = "acme-only" })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task A_key_used_on_another_tenants_host_is_unauthorized()
    {
        using var globexHostWithAcmeKey = _service.Client("globex", _acmeKey);

        var response = await globexHostWithAcmeKey.GetAsync("/api/links");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("acme", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_key_works_on_its_own_tenants_host()
    {
        using var acme = _service.Client("acme", _acmeKey);

        var links = await (await acme.GetAsync("/api/links")).ReadJsonAsync();

        Assert.Equal("acme-only", (string?)links["items"]![0]!["code"]);
    }

    [Fact]
    public async Task An_unknown_host_is_not_found_and_reveals_no_tenant()
    {
        using var nobody = _service.Client("nobody", _acmeKey);

        var api = await nobody.GetAsync("/api/links");
        var redirect = await nobody.GetAsync("/acme-only");

        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, redirect.StatusCode);
        var body = await api.Content.ReadAsStringAsync();
        Assert.DoesNotContain("acme", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("globex", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Another_tenants_code_does_not_redirect_or_show_on_this_host()
    {
        using var globex = _service.Client("globex", _globexKey);

        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync("/acme-only")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync("/api/links/acme-only")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync("/api/links/acme-only/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await globex.GetAsync("/api/links/acme-only/clicks")).StatusCode);
        Assert.Empty((await (await globex.GetAsync("/api/links")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer not-a-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer lt_0000000000000000000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Missing_or_malformed_keys_are_unauthorized(string? authorization)
    {
        using var client = _service.Client("acme");
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.GetAsync("/api/links");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once()
    {
        var admin = _service.Services.GetService(typeof(Tenants.TenantAdmin)) as Tenants.TenantAdmin;
        var (key, id) = await admin!.CreateKeyAsync("acme", "temp", CancellationToken.None);
        using var client = _service.Client("acme", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/links")).StatusCode);

        Assert.True(await admin.RevokeKeyAsync("acme", id, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/links")).StatusCode);
    }

    [Fact]
    public async Task Operator_endpoints_are_not_served_on_tenant_hosts()
    {
        using var acme = _service.Client("acme", _acmeKey);
        using var operatorClient = _service.OpsClient();

        Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync("/ops/writer")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/ops/writer")).StatusCode);
    }
}
