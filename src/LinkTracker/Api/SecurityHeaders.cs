namespace LinkTracker.Api;

/// <summary>Headers on every answer: no MIME sniffing; nothing an authenticated caller got is kept by a cache.</summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(static (context, next) =>
    {
        // At the start of the answer, so headers survive the exception handler clearing the response.
        context.Response.OnStarting(SetHeaders, context);
        return next(context);
    });

    private static Task SetHeaders(object state)
    {
        var context = (HttpContext)state;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        // An answer that already forbids storing (the dashboard's "no-cache, no-store") keeps its own, stricter value.
        if (context.User.Identity?.IsAuthenticated == true
            && !context.Response.Headers.CacheControl.ToString().Contains("no-store", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers.CacheControl = "no-store";
        }

        return Task.CompletedTask;
    }
}
