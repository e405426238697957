using System.Buffers;

namespace LinkTracker.Links;

/// <summary>What a link may hold. Every rule returns a message a person can act on, or null.</summary>
public static class LinkRules
{
    public const int MaxDestinationLength = 2048;
    public const int MaxTags = 20;
    public const int MaxTagLength = 64;
    public const int MaxCampaignLength = 128;

    private static readonly SearchValues<char> ControlOrSpace = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x21).Select(c => (char)c)) + "\u007f");

    internal const string UserInfoProblem =
        "url contains a user name or password before the host; they would be shown to every clicker and are refused.";

    public static string? ValidateDestination(string? url) => NormalizeDestination(url, out _);

    /// <summary>Validates a destination and gives the ASCII form to store (punycode host, percent-encoded UTF-8).</summary>
    /// <returns>A message a person can act on, or null with <paramref name="destination"/> set.</returns>
    public static string? NormalizeDestination(string? url, out string? destination)
    {
        destination = null;
        if (string.IsNullOrEmpty(url))
        {
            return "url is required: the absolute http or https address to redirect to.";
        }

        if (url.Length > MaxDestinationLength)
        {
            return $"url is {url.Length} characters long; at most {MaxDestinationLength} are accepted.";
        }

        var problem = Destinations.ToAscii(url, out var ascii) ?? ValidateAscii(ascii);
        if (problem is null && ascii.Length > MaxDestinationLength)
        {
            problem = $"url is {ascii.Length} characters long once its non-ASCII characters are encoded; at most {MaxDestinationLength} are accepted.";
        }

        destination = problem is null ? ascii : null;
        return problem;
    }

    public const long MaxMaxVisits = 1_000_000_000;

    public const string MaxVisitsRule =
        "maxVisits is how many redirects the link answers before it is gone (410 or your goneUrl): a whole number from 1 to 1000000000, or null for no limit.";

    public static string? ValidateMaxVisits(long? maxVisits) => maxVisits is < 1 or > MaxMaxVisits ? MaxVisitsRule : null;

    /// <summary>The destination built from url and utm fits the limit.</summary>
    public static string? ValidateBuiltLength(string destination) => destination.Length > MaxDestinationLength
        ? $"url with its utm parameters is {destination.Length} characters long; at most {MaxDestinationLength} are accepted. Shorten the values."
        : null;

    private static string? ValidateAscii(string url)
    {
        if (url.AsSpan().ContainsAny(ControlOrSpace))
        {
            return "url contains spaces or control characters; percent-encode them (a space is %20).";
        }

        // On Unix, "/path" parses as an absolute file: URI; it is a relative address to a person.
        if (url[0] is '/' or '\\' or '.' || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "url must be an absolute address such as https://example.com/page; relative addresses are refused.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"url uses the '{uri.Scheme}:' scheme; only http and https destinations are allowed.";
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            return "url has no host name.";
        }

        return string.IsNullOrEmpty(uri.UserInfo) ? null : UserInfoProblem;
    }

    public static string? ValidateTags(IReadOnlyList<string>? tags)
    {
        if (tags is null)
        {
            return null;
        }

        if (tags.Count > MaxTags)
        {
            return $"A link has at most {MaxTags} tags.";
        }

        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Length > MaxTagLength || HasControl(tag))
            {
                return $"Each tag has 1 to {MaxTagLength} characters and no control characters.";
            }
        }

        return null;
    }

    public static string? ValidateCampaign(string? campaign) =>
        campaign is null || (campaign.Length is > 0 and <= MaxCampaignLength && !string.IsNullOrWhiteSpace(campaign) && !HasControl(campaign))
            ? null
            : $"campaign has 1 to {MaxCampaignLength} characters and no control characters.";

    public static string? ValidateExpiry(DateTimeOffset? expiresAt, DateTimeOffset now) =>
        expiresAt is { } at && at <= now ? "expiresAt is in the past; give a future time with a UTC offset, e.g. 2030-01-31T23:59:59Z." : null;

    public static IReadOnlyList<string> NormalizeTags(IReadOnlyList<string>? tags) =>
        tags is null ? [] : [.. tags.OfType<string>().Select(t => t.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static bool HasControl(string value) => value.Any(char.IsControl);
}
