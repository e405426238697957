using LinkTracker.Core.Webhooks;

namespace LinkTracker.Webhooks;

/// <summary>Which clicks a webhook receives: of a link in one of its campaigns (if it names any) and with one of its tags (if it names any).</summary>
public static class ClickWebhookFilter
{
    public static bool Matches(ClickWebhook webhook, WebhookClick click) =>
        (webhook.Campaigns.Count == 0 || (click.Campaign is { } campaign && webhook.Campaigns.Contains(campaign, StringComparer.Ordinal)))
        && (webhook.Tags.Count == 0 || click.Tags.Any(t => webhook.Tags.Contains(t, StringComparer.Ordinal)));
}
