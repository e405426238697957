using LinkTracker.Core.Clicks;
using LinkTracker.Core.Webhooks;

namespace LinkTracker.Webhooks;

/// <summary>
/// One link.clicked event as delivered. <paramref name="Id"/> is the click's own id (a UUIDv7 minted at the edge): the
/// same in every delivery of that click, so a receiver drops repeats by it. The client address is never sent.
/// </summary>
public sealed record ClickEvent(
    string Id, DateTimeOffset At, string Code, string? Campaign, IReadOnlyList<string> Tags, string? Recipient, string? Referrer, string? UserAgent, bool Human)
{
    public static ClickEvent From(WebhookClick click) => new(
        click.Click.Id.ToString(), click.Click.At, click.Click.Code, click.Campaign, click.Tags, click.Click.Recipient, click.Click.Referrer,
        click.Click.UserAgent, (click.Click.Flags & ClickFlags.NonHuman) == 0);
}
