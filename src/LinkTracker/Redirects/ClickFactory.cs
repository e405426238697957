using LinkTracker.Clicks;
using LinkTracker.Core.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Redirects;

/// <summary>Mints the click of a redirect: a UUIDv7 id at the edge, and only what we need of the request.</summary>
public sealed class ClickFactory(IOptions<CaptureOptions> options)
{
    private const int MaxUserAgentLength = 512;
    private const int MaxReferrerLength = 1024;
    private readonly CaptureOptions _options = options.Value;

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

        var userAgent = request.Headers.UserAgent.ToString();
        if (BotDetector.IsBot(userAgent))
        {
            flags |= ClickFlags.Bot;
        }

        return new Click(
            ClickIds.NewId(now),
            tenant,
            code,
            recipient,
            now,
            Clip(userAgent, MaxUserAgentLength),
            Clip(request.Headers.Referer.ToString(), MaxReferrerLength),
            ClientAddress.Truncate(context.Connection.RemoteIpAddress, _options.IPv4PrefixLength, _options.IPv6PrefixLength),
            flags);
    }

    private static string? Clip(string value, int max) => value.Length == 0 ? null : value.Length <= max ? value : value[..max];
}
