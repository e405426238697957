using System.Text.Json;
using LinkTracker.Core.Webhooks;
using LinkTracker.Reports;

namespace LinkTracker.Webhooks;

/// <summary>
/// The schedule and webhook fields of PATCH /api/segments/{id}: absent keeps, null removes, a value sets. A secret is
/// made when a webhook is first set and when "rotateSecret" is true, and shown once.
/// </summary>
public static class SegmentDeliveryPatch
{
    public static bool IsPresent(JsonElement field) => field.ValueKind != JsonValueKind.Undefined;

    /// <returns>The delivery to save (null when neither field was sent or <paramref name="errors"/> got an entry) and the new secret, if one was made.</returns>
    public static (SegmentDelivery? Delivery, string? NewSecret) Apply(
        string segmentId, SegmentDelivery? saved, JsonElement schedule, JsonElement webhook, bool allowPrivate, WebhookSecrets secrets,
        DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (!IsPresent(schedule) && !IsPresent(webhook))
        {
            return (null, null);
        }

        var newSchedule = saved?.Schedule;
        if (IsPresent(schedule))
        {
            newSchedule = schedule.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String when schedule.GetString() == SegmentScheduleJobHandler.Daily => SegmentScheduleJobHandler.Daily,
                _ => Error(errors, "schedule", "schedule is \"daily\" (a run each day after the tenant's local SegmentDeliveries:LocalTime) or null to stop."),
            };
        }

        var (url, secret, newSecret) = (saved?.WebhookUrl, saved?.WebhookSecret, (string?)null);
        if (IsPresent(webhook))
        {
            if (webhook.ValueKind == JsonValueKind.Null)
            {
                (url, secret) = (null, null);
            }
            else if (webhook.ValueKind != JsonValueKind.Object
                || !webhook.TryGetProperty("url", out var given) || given.ValueKind != JsonValueKind.String)
            {
                Error(errors, "webhook", "webhook is {\"url\": \"https://hooks.example.com/segments\"} (with \"rotateSecret\": true for a new secret), or null to remove it.");
            }
            else if (WebhookUrls.Problem("webhook.url", given.GetString()!.Trim(), allowPrivate) is { } problem)
            {
                Error(errors, "webhook.url", problem);
            }
            else
            {
                url = given.GetString()!.Trim();
                var rotate = webhook.TryGetProperty("rotateSecret", out var r) && r.ValueKind == JsonValueKind.True;
                if (rotate || secret is null)
                {
                    secret = secrets.Protect(newSecret = WebhookSignature.NewSecret());
                }
            }
        }

        return errors.Count > 0 ? (null, null) : (new SegmentDelivery(segmentId, newSchedule, url, secret, now), newSecret);
    }

    private static string? Error(Dictionary<string, string[]> errors, string path, string message)
    {
        errors[path] = [message];
        return null;
    }
}
