using System.Text.Json;
using LinkTracker.Core.Links;

namespace LinkTracker.Links;

/// <summary>
/// PATCH /api/links/{code} as a JSON merge patch: a property present is changed, absent is kept,
/// null clears campaign or expiresAt. Unknown properties are refused so typos do not pass silently.
/// </summary>
public static class LinkPatch
{
    /// <returns>The changed link, or the errors by field.</returns>
    public static (Link? Link, Dictionary<string, string[]> Errors) Apply(Link link, JsonElement patch, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (patch.ValueKind != JsonValueKind.Object)
        {
            errors[""] = ["The body is a JSON object with the properties to change: url, tags, campaign, expiresAt, disabled."];
            return (null, errors);
        }

        foreach (var property in patch.EnumerateObject())
        {
            var value = property.Value;
            string? problem;
            switch (property.Name)
            {
                case "url":
                    var url = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    problem = LinkRules.NormalizeDestination(url, out var destination);
                    link = link with { Destination = destination ?? link.Destination };
                    break;
                case "tags":
                    var tags = value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String)
                        ? value.EnumerateArray().Select(t => t.GetString()!).ToList()
                        : null;
                    problem = tags is null ? "tags is an array of strings." : LinkRules.ValidateTags(tags);
                    link = link with { Tags = LinkRules.NormalizeTags(tags) };
                    break;
                case "campaign":
                    var campaign = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    problem = value.ValueKind is JsonValueKind.String or JsonValueKind.Null
                        ? LinkRules.ValidateCampaign(campaign)
                        : "campaign is a string, or null to clear it.";
                    link = link with { Campaign = campaign };
                    break;
                case "expiresAt":
                    DateTimeOffset? expiresAt = null;
                    problem = value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String when value.TryGetDateTimeOffset(out var at) => LinkRules.ValidateExpiry(expiresAt = at, now),
                        _ => "expiresAt is an ISO 8601 time with an offset (e.g. 2030-01-31T23:59:59Z), or null to clear it.",
                    };
                    link = link with { ExpiresAt = expiresAt };
                    break;
                case "disabled":
                    problem = value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "disabled is true or false.";
                    link = link with { Disabled = value.ValueKind == JsonValueKind.True };
                    break;
                default:
                    problem = $"'{property.Name}' cannot be changed; the properties are url, tags, campaign, expiresAt and disabled.";
                    break;
            }

            if (problem is not null)
            {
                errors[property.Name] = [problem];
            }
        }

        return (errors.Count == 0 ? link : null, errors);
    }
}
