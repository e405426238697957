using System.Net;
using LinkTracker.Core.Clicks;

namespace LinkTracker.Redirects;

/// <summary>
/// Mints the click of a redirect: a UUIDv7 id at the edge, and only raw facts of the request (method, prefetch, user
/// agent, referrer, the client's address in full). Classification, device, geo and address truncation run on the
/// writer side (ADR 17), so this path does not grow with them.
/// </summary>
public sealed class ClickFactory
{
    private const int MaxUserAgentLength = 512;
    private const int MaxReferrerLength = 1024;

    public Click Create(string tenant, string code, HttpContext context, DateTimeOffset now)
    {
        var request = context.Request;
        var flags = ClickFlags.None;
        var recipient = RecipientParameter.Read(RecipientParameter.Find(request.QueryString), out var invalid);
        if (invalid)
        {
            flags |= ClickFlags.InvalidRecipient;
        }

        if (HttpMethods.IsHead(request.Method))
        {
            flags |= ClickFlags.Head;
        }

        if (IsPrefetch(request.Headers))
        {
            flags |= ClickFlags.Prefetch;
        }

        return new Click(
            ClickIds.NewId(now),
            tenant,
            code,
            recipient,
            now,
            Clip(request.Headers.UserAgent.ToString(), MaxUserAgentLength),
            Clip(request.Headers.Referer.ToString(), MaxReferrerLength),
            Address(context.Connection.RemoteIpAddress),
            flags);
    }

    /// <summary>Chromium sends Sec-Purpose: prefetch (or "prefetch;prerender"), older browsers and Safari Purpose: prefetch.</summary>
    private static bool IsPrefetch(IHeaderDictionary headers) =>
        headers["Sec-Purpose"].ToString().Contains("prefetch", StringComparison.OrdinalIgnoreCase)
        || headers["Purpose"].ToString().Contains("prefetch", StringComparison.OrdinalIgnoreCase)
        || headers["X-Purpose"].ToString().Contains("preview", StringComparison.OrdinalIgnoreCase);

    private static string? Address(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private static string? Clip(string value, int max) => value.Length == 0 ? null : value.Length <= max ? value : value[..max];
}
