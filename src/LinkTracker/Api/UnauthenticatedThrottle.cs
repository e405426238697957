using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace LinkTracker.Api;

/// <summary>
/// The budget of calls without a valid credential, per client address: keyless calls and wrong keys or operator
/// tokens spend it; once it is spent, the address gets 429 before any key is looked up, so guessing costs the
/// catalog nothing and never touches a tenant's own rate limit.
/// </summary>
public sealed class UnauthenticatedThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;

    public UnauthenticatedThrottle(IOptions<ApiOptions> options)
    {
        var api = options.Value;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = api.UnauthenticatedPerAddress,
            Window = api.UnauthenticatedWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Whether this client's budget is spent (nothing is spent by asking).</summary>
    public bool IsSpent(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(AddressOf(context), 0);
        return !lease.IsAcquired;
    }

    /// <summary>Spends one call of the client's budget.</summary>
    /// <returns>Null when the call fits, otherwise the seconds to wait.</returns>
    public int? Spend(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(AddressOf(context));
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
    }

    /// <summary>Answers 429 with Retry-After for a client whose budget is spent.</summary>
    public static Task WriteTooManyAsync(HttpContext context, int retryAfterSeconds)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"Too many calls without a valid credential from this address. Retry after {retryAfterSeconds} s with a valid key.",
            },
        }).AsTask();
    }

    public void Dispose() => _limiter.Dispose();

    private static IPAddress AddressOf(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => IPAddress.None,
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4(),
        { } address => address,
    };
}
