namespace LinkTracker.Imports;

/// <summary>
/// One link of an export, in LinkTracker's terms. <paramref name="Line"/> is the CSV line the record starts on, or
/// the item's position (from 1) in a JSON export. <paramref name="Problem"/> says why the row cannot be read at all.
/// </summary>
public sealed record ImportRow(
    int Line,
    string? Code,
    string? Url,
    string? Campaign = null,
    IReadOnlyList<string>? Tags = null,
    DateTimeOffset? CreatedAt = null,
    string? Title = null,
    long? Clicks = null,
    long? HumanClicks = null,
    DateTimeOffset? ExpiresAt = null,
    bool Disabled = false,
    string? Problem = null);
