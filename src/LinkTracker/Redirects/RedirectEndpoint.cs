using LinkTracker.Clicks;
using LinkTracker.Legacy;
using LinkTracker.Links;
using LinkTracker.Tenants;

namespace LinkTracker.Redirects;

/// <summary>
/// The hot path: host → tenant (memory), code → link (memory, the store only on a miss), click → journal
/// (group commit), 302. No tenant database, no per-request logging. Only a code the tenant does not have goes to its
/// legacy link tracker, when it has one (<see cref="LegacyFallback"/>).
/// </summary>
public sealed partial class RedirectEndpoint(
    TenantDirectory tenants, LinkCache links, ClickFactory clicks, ClickCapture capture, LegacyFallback legacy, TenantPages pages, VisitLimits limits, RedirectRuleMatcher rules,
    TimeProvider time, ILogger<RedirectEndpoint> logger)
{
    public const string Route = "/{code}";

    public async Task HandleAsync(HttpContext context)
    {
        var tenant = tenants.Resolve(context.Request.Headers.Host.ToString());
        var code = context.Request.RouteValues["code"] as string;
        if (tenant is null || code is null || !LinkCodes.IsWellFormed(code))
        {
            if (tenant is null)
            {
                await RedirectPages.WriteNotFoundAsync(context);
            }
            else if (!await legacy.TryPassThroughAsync(context, tenant.Slug))
            {
                await pages.WriteNotFoundAsync(context, tenant.Slug);
            }

            return;
        }

        CachedLink? link;
        try
        {
            link = await links.GetAsync(tenant.Slug, code, context.RequestAborted);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Not cached and its source (store, or on an edge the api nodes) is down: cached links still redirect.
            LogLookupFailed(logger, ex, tenant.Slug);
            await RedirectPages.WriteUnavailableAsync(context);
            return;
        }

        if (link is null)
        {
            if (!await legacy.TryAnswerAsync(context, tenant.Slug, code))
            {
                await pages.WriteNotFoundAsync(context, tenant.Slug);
            }

            return;
        }

        if (link.Disabled)
        {
            await pages.WriteGoneAsync(context, tenant.Slug, disabled: true);
            return;
        }

        var now = time.GetUtcNow();
        if (link.ExpiresAt <= now)
        {
            await pages.WriteGoneAsync(context, tenant.Slug, disabled: false);
            return;
        }

        // Stored before destinations were normalised (e.g. imported): encoded here, or a page instead of a 500.
        if (Destinations.ForLocation(link.Destination) is not { } location)
        {
            await RedirectPages.WriteUnusableAsync(context);
            return;
        }

        // Only a link with a visit limit pays for counting (one null check for the others).
        if (link.MaxVisits is { } maxVisits && !await limits.TryVisitAsync(context, tenant.Slug, code, link, maxVisits))
        {
            return;
        }

        // Only a link with redirect rules parses the user agent or looks up the country.
        if (link.Rules is { } linkRules && rules.Match(context, linkRules) is { } ruleUrl)
        {
            location = Destinations.ForLocation(ruleUrl) ?? location;
        }

        try
        {
            await capture.CaptureAsync(clicks.Create(tenant.Slug, code, context, now));
        }
        catch (ObjectDisposedException ex)
        {
            // Shutting down: the person still gets their redirect.
            LogNotCaptured(logger, ex);
        }

        var response = context.Response;
        response.StatusCode = link.Status; // 302, or what the legacy system used for a learned link
        response.Headers.Location = location;
        response.Headers.CacheControl = "private, no-store";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A link of tenant {Tenant} could not be looked up; answered 503 with Retry-After")]
    private static partial void LogLookupFailed(ILogger logger, Exception exception, string tenant);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A click was redirected but not recorded")]
    private static partial void LogNotCaptured(ILogger logger, Exception exception);
}
