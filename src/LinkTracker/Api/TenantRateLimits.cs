using System.Globalization;
using System.Threading.RateLimiting;
using LinkTracker.Tenants;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LinkTracker.Api;

/// <summary>
/// A token bucket per authenticated tenant on the tenant API (runs after authorization, so only calls with a valid key
/// spend it; the others spend <see cref="UnauthenticatedThrottle"/>); redirects are never limited.
/// </summary>
internal static class TenantRateLimits
{
    public const string Policy = "per-tenant";

    public static void Configure(RateLimiterOptions options)
    {
        options.AddPolicy(Policy, context =>
        {
            var api = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
            var tenant = context.User.FindFirst(ApiKeyAuthentication.TenantClaim)?.Value ?? string.Empty;
            return RateLimitPartition.GetTokenBucketLimiter(tenant, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = api.BurstPerTenant,
                TokensPerPeriod = api.RequestsPerSecondPerTenant,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        options.OnRejected = async (context, cancellationToken) =>
        {
            var http = context.HttpContext;
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = $"This tenant's API rate limit is reached. Retry after {retryAfter} s, or use the batch endpoint for many links.",
                },
            });
        };
    }
}
