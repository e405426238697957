using LinkTracker.Legacy;
using LinkTracker.Links;

namespace LinkTracker.Redirects;

/// <summary>
/// What a tenant's host answers for a code it does not have (also when its legacy system does not have it either) and
/// for an expired, disabled or used-up link: the tenant's notFoundUrl or goneUrl (302, no click recorded), else the
/// built-in 404/410 page. Only these branches read the settings, never a 302 of a live link.
/// </summary>
public sealed partial class TenantPages(LegacySettingsCache settings, ILogger<TenantPages> logger)
{
    /// <summary>An unknown code: the tenant's notFoundUrl, else the 404 page.</summary>
    public async Task WriteNotFoundAsync(HttpContext context, string tenant)
    {
        if (await PageUrlAsync(context, tenant, gone: false) is { } url)
        {
            SendTo(context.Response, url);
            return;
        }

        await RedirectPages.WriteNotFoundAsync(context);
    }

    /// <summary>An expired, disabled or used-up link: the tenant's goneUrl, else the 410 page (404 for a disabled link).</summary>
    public async Task WriteGoneAsync(HttpContext context, string tenant, bool disabled)
    {
        if (await PageUrlAsync(context, tenant, gone: true) is { } url)
        {
            SendTo(context.Response, url);
        }
        else if (disabled)
        {
            await RedirectPages.WriteNotFoundAsync(context);
        }
        else
        {
            await RedirectPages.WriteGoneAsync(context);
        }
    }

    /// <summary>From the settings kept in memory (read at most once per Legacy:SettingsRefresh); a failed read means the built-in page.</summary>
    private async ValueTask<string?> PageUrlAsync(HttpContext context, string tenant, bool gone)
    {
        try
        {
            var pages = await settings.GetSettingsAsync(tenant, context.RequestAborted);
            return gone ? pages.GoneUrl : pages.NotFoundUrl;
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogPagesFailed(logger, ex, tenant);
            return null;
        }
    }

    private static void SendTo(HttpResponse response, string url)
    {
        response.StatusCode = StatusCodes.Status302Found;
        response.Headers.Location = Destinations.ForLocation(url) ?? url;
        response.Headers.CacheControl = "private, no-store";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The not-found/gone addresses of tenant {Tenant} could not be read; answered with the built-in page")]
    private static partial void LogPagesFailed(ILogger logger, Exception exception, string tenant);
}
