using LinkTracker.Clicks;
using LinkTracker.Links;
using LinkTracker.Redirects;
using LinkTracker.Tenants;

namespace LinkTracker.SignedLinks;

/// <summary>
/// The redirect of a signed link (ADR 26): host → tenant (memory), token → verified with the tenant's key (memory),
/// click → journal, 302. No store, no link cache, no Redis: with all three down an edge that holds the keys redirects.
/// </summary>
public sealed partial class SignedRedirectEndpoint(
    TenantDirectory tenants, SigningKeyRing keys, ClickFactory clicks, ClickCapture capture, TimeProvider time, ILogger<SignedRedirectEndpoint> logger)
{
    public const string Route = "/s/{token}";

    public async Task HandleAsync(HttpContext context)
    {
        var tenant = tenants.Resolve(context.Request.Headers.Host.ToString());
        if (tenant is null || context.Request.RouteValues["token"] is not string token)
        {
            await RedirectPages.WriteNotFoundAsync(context);
            return;
        }

        // The key is found first (memory; a reload only for an id not held), then checked by the codec in constant time.
        var kid = KeyIdOf(token);
        var secret = kid is null ? null : await keys.FindOrReloadAsync(tenant.Slug, kid, context.RequestAborted);
        var check = SignedLinkCodec.Verify(token, tenant.Slug, id => id == kid ? secret : null, out var payload);
        if (check != SignedLinkCheck.Valid || payload is null)
        {
            await RedirectPages.WriteNotFoundAsync(context);
            return;
        }

        var now = time.GetUtcNow();
        if (payload.ExpiresAt <= now)
        {
            await RedirectPages.WriteGoneAsync(context);
            return;
        }

        if (Destinations.ForLocation(payload.Destination) is not { } location)
        {
            await RedirectPages.WriteUnusableAsync(context);
            return;
        }

        try
        {
            // No link row holds the campaign: the click carries it to the writer (click format version 2, ADR 11).
            var click = clicks.Create(tenant.Slug, SignedLinkCodec.CodeOf(token), context, now);
            await capture.CaptureAsync(payload.Campaign is null ? click : click with { Campaign = payload.Campaign });
        }
        catch (ObjectDisposedException ex)
        {
            LogNotCaptured(logger, ex);
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status302Found;
        response.Headers.Location = location;
        response.Headers.CacheControl = "private, no-store";
    }

    private static string? KeyIdOf(string token)
    {
        var first = token.IndexOf('.');
        var last = token.LastIndexOf('.');
        return first > 0 && last > first + 1 && SignedLinkCodec.IsKeyId(token.AsSpan(first + 1, last - first - 1)) ? token[(first + 1)..last] : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A signed link was redirected but its click not recorded")]
    private static partial void LogNotCaptured(ILogger logger, Exception exception);
}
