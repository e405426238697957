using System.Text;

namespace LinkTracker.Legacy;

/// <summary>The pages a person sees when the legacy system should have answered a link and could not.</summary>
internal static class LegacyPages
{
    private static readonly byte[] BadGateway = Page(
        "Link cannot be followed right now", "The service that knows this link answered with an error. Please try again later.");

    private static readonly byte[] GatewayTimeout = Page(
        "Link cannot be followed right now", "The service that knows this link did not answer in time. Please try again in a moment.");

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
