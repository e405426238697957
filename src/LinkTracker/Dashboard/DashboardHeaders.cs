namespace LinkTracker.Dashboard;

/// <summary>
/// Headers of every dashboard answer: a Content-Security-Policy that allows scripts and styles from this host only
/// (no inline script, no inline style, no eval), no framing, no referrer leaving the host, and no caching: the very
/// "no-cache, no-store" and "Pragma: no-cache" antiforgery sets on a page with a form, so it never has to override ours (ADR 28).
/// </summary>
internal static class DashboardHeaders
{
    public const string Policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>What antiforgery sets on an answer that carries a token (DefaultAntiforgery), and it checks for before warning.</summary>
    public const string NoCache = "no-cache, no-store";

    public static bool Applies(PathString path) =>
        path.StartsWithSegments("/dashboard", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/ops/dashboard", StringComparison.OrdinalIgnoreCase);

    public static Task Add(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = NoCache;
        headers.Pragma = "no-cache";
        return next();
    }
}
