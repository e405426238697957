using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks;

/// <summary>A raw click as the API shows it; clientAddress is already truncated at capture.</summary>
public sealed record ClickResponse(
    Guid Id, DateTimeOffset At, string? Recipient, bool Human, IReadOnlyList<string> Flags,
    string? UserAgent, string? Referrer, string? ClientAddress)
{
    public static ClickResponse From(Click click) => new(
        click.Id, click.At, click.Recipient, click.IsHuman, FlagNames(click.Flags), click.UserAgent, click.Referrer, click.ClientAddress);

    private static string[] FlagNames(ClickFlags flags) =>
        [.. Enum.GetValues<ClickFlags>().Where(f => f is ClickFlags.Head or ClickFlags.Bot or ClickFlags.InvalidRecipient && flags.HasFlag(f))
            .Select(f => f.ToString().ToLowerInvariant())];
}
