using LinkTracker.Reports;

namespace LinkTracker.Webhooks;

/// <summary>The rule a webhook URL is checked by when saved, the same for click, segment and report webhooks.</summary>
public static class WebhookUrls
{
    public const int MaxLength = 2048;

    /// <returns>What to change, or null when <paramref name="url"/> may be saved.</returns>
    public static string? Problem(string field, string url, bool allowPrivate)
    {
        if (url.Length > MaxLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0)
        {
            return $"{field} must be an absolute http or https URL of at most {MaxLength} characters, without user:password, "
                + "e.g. https://hooks.example.com/linktracker.";
        }

        return !allowPrivate && WebhookTargets.PrivateLiteral(uri) is { } literal
            ? $"{field} points at {literal}, a private or special-purpose address (IANA special-purpose registries) that webhooks may not reach. Use a public host name or address."
            : null;
    }
}
