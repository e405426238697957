namespace LinkTracker.Legacy;

/// <summary>
/// The rules of a tenant's legacy base URL, those of webhook targets (<see cref="Reports.WebhookTargets"/>): absolute
/// http or https, no user:password, no private or special-purpose literal address unless the operator allows it; and
/// since paths and queries are appended to it, no query or fragment of its own.
/// </summary>
public static class LegacyBaseUrl
{
    public const int MaxLength = 2048;

    /// <returns>Why the URL cannot be a legacy base URL, or null when it can.</returns>
    public static string? Validate(string url, bool allowPrivate)
    {
        if (url.Length > MaxLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0)
        {
            return $"legacyBaseUrl must be an absolute http or https URL of at most {MaxLength} characters, without user:password, "
                + "query or fragment, e.g. https://old-tracker.example (a code's path and query are appended to it).";
        }

        return !allowPrivate && Reports.WebhookTargets.PrivateLiteral(uri) is { } literal
            ? $"legacyBaseUrl points at {literal}, a private or special-purpose address (IANA special-purpose registries) that this service may not reach. "
                + "Use the legacy system's public host name, or ask the operator to set Legacy:AllowPrivateTargets."
            : null;
    }

    /// <summary>The legacy system's URL of this request: the base URL, then the request's path and query.</summary>
    public static Uri Combine(string baseUrl, PathString path, QueryString query) =>
        new(baseUrl.TrimEnd('/') + path.ToUriComponent() + query.ToUriComponent());
}
