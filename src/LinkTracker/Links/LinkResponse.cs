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
    DateTimeOffset UpdatedAt)
{
    /// <summary>The short URL is on the host the API was called on: the tenant's host.</summary>
    public static LinkResponse From(Link link, HttpRequest request) => new(
        link.Code,
        $"{request.Scheme}://{request.Host}/{link.Code}",
        link.Destination,
        link.Tags,
        link.Campaign,
        link.ExpiresAt,
        link.Disabled,
        link.CreatedAt,
        link.UpdatedAt);
}
