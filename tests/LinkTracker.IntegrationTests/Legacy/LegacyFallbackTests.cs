using System.Net;
using System.Net.Http.Json;
using LinkTracker.IntegrationTests.Infrastructure;
using LinkTracker.Legacy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LinkTracker.IntegrationTests.Legacy;

/// <summary>
/// The strangler on the embedded engine against a real legacy HTTP server: fallback, learn-through, negative caching,
/// failures, breaker, concurrency bound, pass-through and the migration view. Each test has its own tenant and legacy
/// server; the pipeline's clock is a FakeTimeProvider, so timeouts and breaker durations pass only when a test says so.
/// </summary>
public sealed class LegacyFallbackTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private TestService _service = null!;
    private int _tenants;

    public async Task InitializeAsync() => _service = await TestService.StartAsync(
        services => services.AddKeyedSingleton<TimeProvider>(LegacyPipelines.Name, _clock),
        "Legacy:AllowPrivateTargets=true",
        "Legacy:MaxConcurrentPerTenant=2",
        "Legacy:BreakerMinimumThroughput=2",
        "Legacy:BreakDuration=00:00:30",
        "Legacy:Timeout=00:00:02");

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task An_unknown_code_is_answered_by_legacy_with_its_status_then_learned_and_answered_here_after_legacy_is_gone()
    {
        await using var legacy = await LegacyServer.StartAsync();
        var client = await TenantWithLegacyAsync(legacy);

        var first = await client.GetAsync("/f1?r=alice");
        var permanent = await client.GetAsync("/m1");

        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal("https://dest.example/f1?r=alice", first.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.MovedPermanently, permanent.StatusCode);
        Assert.Equal("https://dest.example/m1", permanent.Headers.Location!.OriginalString);
        var learned = await (await client.GetAsync("/api/links/f1")).ReadJsonAsync();
        Assert.Equal("https://dest.example/f1?r=alice", (string?)learned["url"] ?? (string?)learned["destination"]);

        var second = await client.GetAsync("/f1?r=bob");
        Assert.Equal(HttpStatusCode.Found, second.StatusCode);
        Assert.Equal(1, legacy.Requests("/f1")); // the second click never left LinkTracker

        await legacy.StopAsync();
        var afterLegacy = await client.GetAsync("/f1");
        Assert.Equal(HttpStatusCode.Found, afterLegacy.StatusCode);
        Assert.Equal("https://dest.example/f1?r=alice", afterLegacy.Headers.Location!.OriginalString);

        await _service.WaitForWriterAsync();
        var view = await (await client.GetAsync("/api/migration")).ReadJsonAsync();
        Assert.Equal(2, (long)view["lastHour"]!["answeredByLegacy"]!);
        Assert.Equal(2, (long)view["lastHour"]!["answeredLocally"]!);
        Assert.Equal(2, (long)view["lastDay"]!["learned"]!);
        var f1 = view["legacyCodes"]!.AsArray().Single(c => (string?)c!["code"] == "f1")!;
        Assert.Equal(3, (long)f1["clicks"]!);
        Assert.Equal(1, (long)f1["answeredByLegacy"]!);
    }

    [Fact]
    public async Task A_learned_link_keeps_redirecting_with_the_status_legacy_used_after_legacy_is_gone()
    {
        await using var legacy = await LegacyServer.StartAsync();
        var client = await TenantWithLegacyAsync(legacy);
        var expected = new Dictionary<string, HttpStatusCode>
        {
            ["m7"] = HttpStatusCode.MovedPermanently,
            ["f7"] = HttpStatusCode.Found,
            ["t7"] = HttpStatusCode.TemporaryRedirect,
            ["p7"] = HttpStatusCode.PermanentRedirect,
        };

        foreach (var (code, status) in expected)
        {
            Assert.Equal(status, (await client.GetAsync($"/{code}")).StatusCode); // answered by legacy, learned
        }

        await legacy.StopAsync();
        foreach (var (code, status) in expected)
        {
            var again = await client.GetAsync($"/{code}?r=later");
            Assert.Equal(status, again.StatusCode); // answered here, from the learned link
            Assert.Equal($"https://dest.example/{code}", again.Headers.Location!.OriginalString);
            Assert.Equal(1, legacy.Requests($"/{code}"));
        }
    }

    [Fact]
    public async Task A_legacy_404_is_cached_like_an_unknown_code()
    {
        await using var legacy = await LegacyServer.StartAsync();
        var client = await TenantWithLegacyAsync(legacy);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/n1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/n1")).StatusCode);

        Assert.Equal(1, legacy.Requests("/n1"));
    }

    [Fact]
    public async Task A_code_legacy_does_not_know_either_goes_to_the_tenants_not_found_url_first_and_cached()
    {
        await using var legacy = await LegacyServer.StartAsync();
        var client = await TenantWithLegacyAsync(legacy);
        (await client.PutAsJsonAsync("/api/settings", new { legacyBaseUrl = legacy.Url, notFoundUrl = "https://example.com/404" })).EnsureSuccessStatusCode();

        var first = await client.GetAsync("/n2");
        var cached = await client.GetAsync("/n2");

        Assert.Equal((HttpStatusCode.Found, "https://example.com/404"), (first.StatusCode, first.Headers.Location?.OriginalString));
        Assert.Equal((HttpStatusCode.Found, "https://example.com/404"), (cached.StatusCode, cached.Headers.Location?.OriginalString));
        Assert.Equal(1, legacy.Requests("/n2"));
        var redirected = await client.GetAsync("/f2");
        Assert.Equal("https://dest.example/f2", redirected.Headers.Location?.OriginalString); // what legacy knows still goes there
    }

    [Fact]
    public async Task A_legacy_5xx_garbage_or_down_is_a_502_and_nothing_is_learned_or_recorded()
    {
        await using var legacy = await LegacyServer.StartAsync();
        var client = await TenantWithLegacyAsync(legacy);

        Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync("/e1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync("/g1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/links/e1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/links/g1")).StatusCode);

        await legacy.StopAsync();
        Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync("/f9")).StatusCode);

        await _service.WaitForWriterAsync();
        var view = await (await client.GetAsync("/api/migration")).ReadJsonAsync();
        Assert.Equal(0, (long)view["lastHour"]!["answeredByLegacy"]!);
        Assert.Equal(0, (long)view["lastHour"]!["learned"]!);
        Assert.Equal(3, (long)view["lastHour"]!["legacyFailures"]!);
    }

    [Fact]
    public async Task A_slow_legacy_is_a_504_when_the_timeout_passes()
    {
        await using var legacy = await LegacyServer.StartAsync();
        var client = await TenantWithLegacyAsync(legacy);

        var click = client.GetAsync("/s1");
        await PollAsync(() => legacy.InFlight == 1, "the legacy server never got the request");
        _clock.Advance(TimeSpan.FromSeconds(2.1));

        var response = await click;
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/links/s1")).StatusCode);
    }

    [Fact]
    public async Task The_breaker_opens_after_failures_answers_without_asking_legacy_and_closes_after_the_break()
    {
        await using var legacy = await LegacyServer.StartAsync();
        var client = await TenantWithLegacyAsync(legacy);
        legacy.Failing = true;

        Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync("/f1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, (await client.GetAsync("/f2")).StatusCode);
        var open = await client.GetAsync("/f3");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, open.StatusCode);
        Assert.Equal(0, legacy.Requests("/f3"));

        legacy.Failing = false;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/f3")).StatusCode); // still open: no time passed
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/f3")).StatusCode); // the trial request closes it
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/f4")).StatusCode);
        Assert.Equal(1, legacy.Requests("/f4"));
    }

    [Fact]
    public async Task No_more_than_the_bound_of_requests_reach_a_tenants_legacy_at_once_the_rest_get_503()
    {
        await using var legacy = await LegacyServer.StartAsync();
        var client = await TenantWithLegacyAsync(legacy);

        var clicks = Enumerable.Range(1, 6).Select(i => client.GetAsync($"/s{i}")).ToList();
        await PollAsync(() => legacy.InFlight == 2 && clicks.Count(c => c.IsCompleted) == 4, "two requests in flight, four refused");
        var refused = clicks.Where(c => c.IsCompleted).Select(c => c.Result.StatusCode).ToList();
        var waiting = clicks.Where(c => !c.IsCompleted).ToList();
        legacy.Release();
        var answered = await Task.WhenAll(waiting);

        Assert.All(refused, status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
        Assert.Equal(2, answered.Length);
        Assert.All(answered, r => Assert.Equal(HttpStatusCode.Found, r.StatusCode));
        Assert.Equal(2, legacy.MaxInFlight);
    }

    [Fact]
    public async Task Other_paths_pass_through_to_legacy_but_never_the_services_own()
    {
        await using var legacy = await LegacyServer.StartAsync();
        var client = await TenantWithLegacyAsync(legacy);
        var otherSlug = NewTenant();
        using var other = _service.Client(otherSlug, await _service.AddTenantAsync(otherSlug));

        var page = await client.GetAsync("/about/team?x=1");
        var posted = await client.PostAsync("/forms/contact", new StringContent("hello"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("legacy page /about/team", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        foreach (var owned in new[] { "/api/nothing/here", "/ops/x", "/health/deep", "/metrics/x", "/api" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(owned)).StatusCode);
            Assert.Equal(0, legacy.Requests(owned));
        }

        var dashboard = await client.GetAsync("/dashboard/links"); // the dashboard's own: sign-in, never the legacy system
        Assert.NotEqual(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal(0, legacy.Requests("/dashboard/links"));

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/about/team")).StatusCode); // no legacy system: nothing passes

        var view = await (await client.GetAsync("/api/migration")).ReadJsonAsync();
        Assert.Equal(2, (long)view["lastHour"]!["proxied"]!);
    }

    [Fact]
    public async Task A_bad_legacy_base_url_is_a_400_problem_that_says_what_to_send_and_nothing_is_saved()
    {
        await using var legacy = await LegacyServer.StartAsync();
        var client = await TenantWithLegacyAsync(legacy);

        foreach (var bad in new[] { "ftp://old.example", "old.example", "https://user:pw@old.example", "https://old.example/?a=1", "https://old.example/#x" })
        {
            var response = await client.PutAsJsonAsync("/api/settings", new { timeZone = "Europe/Paris", legacyBaseUrl = bad });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("https://old-tracker.example", (string?)(await response.ReadJsonAsync())["errors"]!["legacyBaseUrl"]![0]);
        }

        var settings = await (await client.GetAsync("/api/settings")).ReadJsonAsync();
        Assert.Equal(legacy.Url, (string?)settings["legacyBaseUrl"]);
        Assert.Equal("UTC", (string?)settings["timeZone"]);
    }

    [Fact]
    public async Task The_operator_sees_every_tenant_with_a_legacy_system()
    {
        await using var legacy = await LegacyServer.StartAsync();
        var client = await TenantWithLegacyAsync(legacy);
        var tenant = client.DefaultRequestHeaders.Host!.Split('.')[0];
        using var ops = _service.OpsClient();

        var view = await (await ops.GetAsync("/ops/migration")).ReadJsonAsync();
        using var anonymous = Clients.For(_service.Address, "localhost");

        Assert.Contains(view["tenants"]!.AsArray(), t => (string?)t!["tenant"] == tenant && (string?)t["legacyBaseUrl"] == legacy.Url);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/ops/migration")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ops/migration")).StatusCode);
    }

    private string NewTenant() => $"legacy{Interlocked.Increment(ref _tenants)}";

    private async Task<HttpClient> TenantWithLegacyAsync(LegacyServer legacy)
    {
        var slug = NewTenant();
        var key = await _service.AddTenantAsync(slug);
        var client = _service.Client(slug, key);
        client.DefaultRequestHeaders.Host = $"{slug}.localhost:{_service.Address.Port}";
        (await client.PutAsJsonAsync("/api/settings", new { legacyBaseUrl = legacy.Url })).EnsureSuccessStatusCode();
        return client;
    }

    private static async Task PollAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(10);
        }
    }
}
