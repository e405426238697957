using System.Net;
using LinkTracker.IntegrationTests.Infrastructure;

namespace LinkTracker.IntegrationTests.Api;

public sealed class RateLimitTests
{
    [Fact]
    public async Task A_tenant_over_its_rate_gets_429_while_others_and_redirects_go_on()
    {
        await using var service = await TestService.StartAsync("Api:RequestsPerSecondPerTenant=1", "Api:BurstPerTenant=5");
        using var noisy = service.Client("noisy", await service.AddTenantAsync("noisy"));
        using var quiet = service.Client("quiet", await service.AddTenantAsync("quiet"));
        (await noisy.PostJsonAsync("/api/links", new { url = "https://example.com/", code = "go" })).EnsureSuccessStatusCode();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await noisy.GetAsync("/api/links")).StatusCode);
        }

        var limited = await noisy.GetAsync("/api/links");
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await quiet.GetAsync("/api/links")).StatusCode);
        Assert.Equal(HttpStatusCode.Found, (await noisy.GetAsync("/go")).StatusCode);
    }
}
