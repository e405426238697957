using System.Net;
using LinkTracker.Core.Jobs;
using LinkTracker.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LinkTracker.IntegrationTests.Api;

/// <summary>/ops/* and /metrics: the base domain only, and only with the operator token in a header.</summary>
public sealed class OperatorAccessTests : IAsyncLifetime
{
    private static readonly string[] OperatorGets = ["/ops/writer", "/ops/jobs", "/ops/jobs/dead", "/metrics"];
    private TestService _service = null!;
    private string _acmeKey = null!;

    public async Task InitializeAsync()
    {
        _service = await TestService.StartAsync("Jobs:MaxAttempts=1");
        _acmeKey = await _service.AddTenantAsync("acme");
        using var acme = _service.Client("acme", _acmeKey);
        (await acme.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "go" })).EnsureSuccessStatusCode();
        await acme.GetAsync("/go"); // acme now appears in the metrics

        // A dead letter: a job type this LinkTracker has no handler for, with one attempt.
        var queue = _service.Services.GetRequiredService<IJobQueue>();
        await queue.EnqueueAsync(new JobRequest("legacy-export", "acme", "{}", "export-1"), null, CancellationToken.None);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await queue.CountAsync(CancellationToken.None)).Dead == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the job did not become a dead letter");
            await Task.Delay(25);
        }
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Operator_endpoints_and_metrics_refuse_calls_without_the_operator_token()
    {
        using var anonymous = Clients.For(_service.Address, "127.0.0.1");

        foreach (var path in OperatorGets)
        {
            var response = await anonymous.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path} answered {(int)response.StatusCode} without the operator token");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("acme", body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Purging_dead_letters_without_the_operator_token_is_refused_and_purges_nothing()
    {
        using var anonymous = Clients.For(_service.Address, "127.0.0.1");

        var refused = await anonymous.DeleteAsync("/ops/jobs/dead");
        var redrive = await anonymous.PostAsync("/ops/jobs/dead/redrive", null);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, redrive.StatusCode);
        Assert.Equal(1, (await _service.Services.GetRequiredService<IJobQueue>().CountAsync(CancellationToken.None)).Dead);
    }

    [Theory]
    [InlineData("X-Ops-Token", "wrong-token-wrong-token-wrong-token")]
    [InlineData("Authorization", "Bearer wrong-token-wrong-token-wrong-token")]
    [InlineData("Cookie", "X-Ops-Token={token}")]
    [InlineData("Authorization", "Bearer {key}")]
    [InlineData("Authorization", "Basic {token}")]
    public async Task A_wrong_token_a_tenant_key_or_the_token_in_a_cookie_is_refused(string header, string value)
    {
        using var client = Clients.For(_service.Address, "localhost");
        client.DefaultRequestHeaders.TryAddWithoutValidation(header, value.Replace("{token}", _service.OpsToken, StringComparison.Ordinal).Replace("{key}", _acmeKey, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/ops/writer")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync("/ops/jobs/dead")).StatusCode);
    }

    [Fact]
    public async Task The_operator_token_opens_every_operator_endpoint_in_either_header()
    {
        using var byHeader = _service.OpsClient();
        using var byBearer = Clients.For(_service.Address, "127.0.0.1", _service.OpsToken);

        foreach (var path in OperatorGets)
        {
            Assert.Equal(HttpStatusCode.OK, (await byHeader.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await byBearer.GetAsync(path)).StatusCode);
        }

        Assert.Contains("acme", await byHeader.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenant_hosts_serve_no_operator_endpoint_even_with_the_token()
    {
        using var acme = Clients.Ops(_service.Address, "acme.localhost", _service.OpsToken);

        foreach (var path in OperatorGets)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await acme.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await acme.DeleteAsync("/ops/jobs/dead")).StatusCode);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_generated_token_is_readable_by_its_owner_only()
    {
        var file = Path.Combine(_service.DataDirectory, Runbook.OpsCredential.FileName);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.True(_service.OpsToken.Length >= 32);
    }

    [Fact]
    public async Task A_configured_token_replaces_the_generated_one()
    {
        const string Token = "0123456789abcdef0123456789abcdef-operator";
        await using var service = await TestService.StartAsync($"Ops:Token={Token}");
        using var configured = Clients.Ops(service.Address, "localhost", Token);

        Assert.Equal(HttpStatusCode.OK, (await configured.GetAsync("/ops/writer")).StatusCode);
        Assert.False(File.Exists(Path.Combine(service.DataDirectory, Runbook.OpsCredential.FileName)));
    }
}
