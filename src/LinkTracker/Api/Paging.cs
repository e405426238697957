namespace LinkTracker.Api;

/// <summary>Page sizes of every listing.</summary>
internal static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    /// <returns>The limit, or a message when it is out of range.</returns>
    public static (int Limit, string? Problem) Limit(int? requested) => requested switch
    {
        null => (DefaultLimit, null),
        < 1 or > MaxLimit => (0, $"limit must be between 1 and {MaxLimit}."),
        { } limit => (limit, null),
    };
}
