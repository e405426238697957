using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks;

/// <summary>
/// A stored click as the API shows it: clientAddress is already truncated (by the writer's enrichment stage, ADR 19),
/// reason says why a click is not a person's, and device, browser, os, country and city are what the stage found.
/// </summary>
public sealed record ClickResponse(
    Guid Id, DateTimeOffset At, string? Recipient, bool Human, IReadOnlyList<string> Flags,
    string? UserAgent, string? Referrer, string? ClientAddress,
    string? Reason, string? Device, string? Browser, string? Os, string? Country, string? City)
{
    public static ClickResponse From(Click click) => new(
        click.Id, click.At, click.Recipient, click.IsHuman, FlagNames(click.Flags), click.UserAgent, click.Referrer, click.ClientAddress,
        click.Reason, click.Device, click.Browser, click.Os, click.Country, click.City);

    private static string[] FlagNames(ClickFlags flags) =>
        [.. Enum.GetValues<ClickFlags>().Where(f => f is ClickFlags.Head or ClickFlags.Bot or ClickFlags.InvalidRecipient
                or ClickFlags.Prefetch or ClickFlags.MailScanner && flags.HasFlag(f))
            .Select(f => f.ToString().ToLowerInvariant())];
}
