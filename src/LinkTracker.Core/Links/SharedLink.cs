namespace LinkTracker.Core.Links;

/// <summary>
/// What a shared (second-level) cache keeps of a link: enough to redirect (with <paramref name="Status"/>, 302 unless the
/// link was learned from a legacy system that used another), or the fact that there is none. <paramref name="MaxVisits"/>
/// is set only for a link with a visit limit, counted per <paramref name="Version"/> (its creation, Unix ms).
/// </summary>
public sealed record SharedLink(
    bool Exists, string? Destination, DateTimeOffset? ExpiresAt, bool Disabled, int Status = SharedLink.DefaultStatus, long? MaxVisits = null, long Version = 0,
    IReadOnlyList<RedirectRule>? Rules = null)
{
    public const int DefaultStatus = 302;

    public static SharedLink Missing { get; } = new(false, null, null, false);

    /// <summary>The status a link redirects with: the legacy system's redirect status when it was learned from one, else 302.</summary>
    public static int StatusOf(int? legacyStatus) => legacyStatus is 301 or 302 or 303 or 307 or 308 ? legacyStatus.Value : DefaultStatus;
}
