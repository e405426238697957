namespace LinkTracker.Demo;

/// <summary>
/// What `linktracker demo` did: the API key when it created the tenant, the dashboard user (and its password when it
/// set one), and how many links and clicks it added or found already there.
/// </summary>
public sealed record DemoResult(
    string? ApiKey,
    string Email,
    string? Password,
    int LinksCreated,
    int LinksExisting,
    int ClicksWritten,
    int ClicksExisting,
    DateTimeOffset From,
    DateTimeOffset To);
