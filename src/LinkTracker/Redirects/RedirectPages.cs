using System.Text;

namespace LinkTracker.Redirects;

/// <summary>The small pages a clicker sees when there is nowhere to go.</summary>
internal static class RedirectPages
{
    private static readonly byte[] NotFound = Page("Link not found", "This link does not exist or is no longer active.");
    private static readonly byte[] Gone = Page("Link expired", "This link has expired.");
    private static readonly byte[] Unusable = Page("Link cannot be followed", "This link points to an address that is not valid. Please tell whoever sent it to you.");
    private static readonly byte[] Unavailable = Page("Try again in a moment", "This link cannot be looked up right now. Please try again in a few seconds.");

    // A legacy tracker (ADR 15) that should have answered a link and could not.
    private static readonly byte[] BadGateway = Page(
        "Link cannot be followed right now", "The service that knows this link answered with an error. Please try again later.");

    private static readonly byte[] GatewayTimeout = Page(
        "Link cannot be followed right now", "The service that knows this link did not answer in time. Please try again in a moment.");

    public static Task WriteNotFoundAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status404NotFound, NotFound);

    /// <summary>A link whose stored destination cannot be a Location header: the link's fault, so a 404 and not a 5xx.</summary>
    public static Task WriteUnusableAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status404NotFound, Unusable);

    public static Task WriteGoneAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status410Gone, Gone);

    public static Task WriteUnavailableAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, Unavailable);
    }

    public static Task WriteBadGatewayAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status502BadGateway, BadGateway);

    public static Task WriteGatewayTimeoutAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return WriteAsync(context, StatusCodes.Status504GatewayTimeout, GatewayTimeout);
    }

    private static Task WriteAsync(HttpContext context, int status, byte[] page)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = page.Length;
        response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(page).AsTask();
    }

    private static byte[] Page(string title, string text) => Encoding.UTF8.GetBytes(
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
        + $"<body style=\"font-family:sans-serif;margin:4em auto;max-width:30em\"><h1>{title}</h1><p>{text}</p></body></html>");
}
