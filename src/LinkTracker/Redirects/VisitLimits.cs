using LinkTracker.Core.Links;
using LinkTracker.Links;

namespace LinkTracker.Redirects;

/// <summary>
/// The visit limit of a link that has one (only those come here): counted exactly by the deployment's
/// <see cref="IVisitCounter"/>; once reached the link is gone (410 or the tenant's goneUrl). When the count cannot be
/// known the visit fails closed with 503 and Retry-After: a limit is a promise to the tenant (ADR 25).
/// </summary>
public sealed partial class VisitLimits(IServiceProvider services, TenantPages pages, ILogger<VisitLimits> logger)
{
    // Null on an edge without Redis: it cannot count, so limited links answer 503 there.
    private readonly IVisitCounter? _counter = services.GetService<IVisitCounter>();

    /// <returns>true when this visit was counted and may be redirected; false when the answer has been written.</returns>
    public async Task<bool> TryVisitAsync(HttpContext context, string tenant, string code, CachedLink link, long maxVisits)
    {
        bool counted;
        try
        {
            counted = _counter is not null
                && await _counter.TryVisitAsync(new VisitKey(tenant, code, link.Version), maxVisits, link.ExpiresAt, context.RequestAborted);
            if (_counter is null)
            {
                LogNoCounter(logger, tenant);
                await RedirectPages.WriteUnavailableAsync(context);
                return false;
            }
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogCountFailed(logger, ex, tenant);
            await RedirectPages.WriteUnavailableAsync(context);
            return false;
        }

        if (!counted)
        {
            await pages.WriteGoneAsync(context, tenant, disabled: false);
        }

        return counted;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A visit of a limited link of tenant {Tenant} could not be counted; answered 503 with Retry-After")]
    private static partial void LogCountFailed(ILogger logger, Exception exception, string tenant);

    [LoggerMessage(Level = LogLevel.Error, Message = "A limited link of tenant {Tenant} was visited on a node that cannot count visits (an edge needs Redis:Configuration); answered 503")]
    private static partial void LogNoCounter(ILogger logger, string tenant);
}
