namespace LinkTracker.Legacy;

/// <summary>What the legacy system is told of the person clicking: what it saw before DNS moved, minus the connection.</summary>
internal static class LegacyHeaders
{
    public static void CopyTo(HttpContext context, HttpRequestMessage message)
    {
        var headers = context.Request.Headers;
        message.Headers.TryAddWithoutValidation("User-Agent", headers.UserAgent.ToString());
        if (headers.Referer.Count > 0)
        {
            message.Headers.TryAddWithoutValidation("Referer", headers.Referer.ToString());
        }

        if (headers.AcceptLanguage.Count > 0)
        {
            message.Headers.TryAddWithoutValidation("Accept-Language", headers.AcceptLanguage.ToString());
        }

        message.Headers.TryAddWithoutValidation("X-Forwarded-Host", headers.Host.ToString());
        message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", context.Request.Scheme);
        if (context.Connection.RemoteIpAddress is { } address)
        {
            message.Headers.TryAddWithoutValidation("X-Forwarded-For", address.ToString());
        }
    }
}
