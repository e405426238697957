using LinkTracker.Core.Links;

namespace LinkTracker.Links;

public sealed record LinkResponse(
    string Code,
    string ShortUrl,
    string Url,
    IReadOnlyList<string> Tags,
    string? Campaign,
    DateTimeOffset? ExpiresAt,
    bool Disabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    LinkUtm? Utm,
    long? MaxVisits,
    IReadOnlyList<RedirectRule>? Rules)
{
    /// <summary>The short URL is on the host the API was called on: the tenant's host.</summary>
    public static LinkResponse From(Link link, HttpRequest request) => new(
        link.Code,
        ShortUrlOf(link.Code, request),
        link.Destination,
        link.Tags,
        link.Campaign,
        link.ExpiresAt,
        link.Disabled,
        link.CreatedAt,
        link.UpdatedAt,
        link.Features.Utm,
        link.Features.MaxVisits,
        link.Features.Rules);

    /// <summary>The short URL of <paramref name="code"/> on the host the API was called on (the tenant's host).</summary>
    public static string ShortUrlOf(string code, HttpRequest request) => $"{request.Scheme}://{request.Host}/{code}";
}
