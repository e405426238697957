using System.Text.Json;
using LinkTracker.Core.Links;

namespace LinkTracker.Links;

/// <summary>
/// PATCH /api/links/{code} as a JSON merge patch: a property present is changed, absent is kept,
/// null clears campaign or expiresAt. Unknown properties are refused so typos do not pass silently.
/// </summary>
public static class LinkPatch
{
    private static readonly JsonSerializerOptions RulesJson = new(JsonSerializerDefaults.Web);

    /// <returns>The changed link, or the errors by field.</returns>
    public static (Link? Link, Dictionary<string, string[]> Errors) Apply(Link link, JsonElement patch, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (patch.ValueKind != JsonValueKind.Object)
        {
            errors[""] = ["The body is a JSON object with the properties to change: url, utm, maxVisits, tags, campaign, expiresAt, disabled."];
            return (null, errors);
        }

        var original = link;
        var urlChanged = false;
        var utm = link.Features.Utm;
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
                    urlChanged = true;
                    break;
                case "utm":
                    (utm, problem) = PatchUtm(utm, value, errors);
                    break;
                case "rules":
                    link = link with { Features = link.Features with { Rules = PatchRules(value, errors) } };
                    problem = null; // PatchRules keys its own errors by path
                    break;
                case "maxVisits":
                    (var maxVisits, problem) = value.ValueKind switch
                    {
                        JsonValueKind.Null => ((long?)null, null),
                        JsonValueKind.Number when value.TryGetInt64(out var max) => (max, LinkRules.ValidateMaxVisits(max)),
                        _ => (link.Features.MaxVisits, LinkRules.MaxVisitsRule),
                    };
                    link = link with { Features = link.Features with { MaxVisits = maxVisits } };
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
                    problem = $"'{property.Name}' cannot be changed; the properties are url, utm, maxVisits, tags, campaign, expiresAt and disabled.";
                    break;
            }

            if (problem is not null)
            {
                errors[property.Name] = [problem];
            }
        }

        if (errors.Count == 0 && (urlChanged || utm != original.Features.Utm))
        {
            // A new url gets the utm parameters added; an unchanged one loses those of the old utm object first.
            var destination = UtmParameters.Apply(link.Destination, utm, urlChanged ? null : original.Features.Utm);
            if (LinkRules.ValidateBuiltLength(destination) is { } tooLong)
            {
                errors["utm"] = [tooLong];
            }

            link = link with { Destination = destination, Features = link.Features with { Utm = utm } };
        }

        return (errors.Count == 0 ? link : null, errors);
    }

    /// <summary>rules are replaced whole: an array of rules, or null (or []) to remove them.</summary>
    private static IReadOnlyList<RedirectRule>? PatchRules(JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        List<RedirectRule?>? rules = null;
        try
        {
            rules = value.ValueKind == JsonValueKind.Array ? value.Deserialize<List<RedirectRule?>>(RulesJson) : null;
        }
        catch (JsonException)
        {
        }

        if (rules is null)
        {
            errors["rules"] = ["rules is an array of {\"when\": {\"country\"|\"device\"|\"os\": [...]}, \"url\": \"https://...\"}, first match wins; null removes them."];
            return null;
        }

        return RedirectRuleSet.Validate(rules, string.Empty, errors);
    }

    /// <summary>utm as a merge patch of its own: null clears every field, a field set to null clears that field.</summary>
    private static (LinkUtm? Utm, string? Problem) PatchUtm(LinkUtm? utm, JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return (utm, "utm is an object with source, medium, campaign, term and content, or null to remove them all.");
        }

        var changed = utm ?? new LinkUtm();
        foreach (var field in value.EnumerateObject())
        {
            var text = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
            var problem = field.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null
                ? UtmParameters.Validate(text, field.Name)
                : $"utm.{field.Name} is a string, or null to remove it.";
            changed = field.Name switch
            {
                "source" => changed with { Source = text },
                "medium" => changed with { Medium = text },
                "campaign" => changed with { Campaign = text },
                "term" => changed with { Term = text },
                "content" => changed with { Content = text },
                _ => changed,
            };
            problem = field.Name is "source" or "medium" or "campaign" or "term" or "content"
                ? problem
                : $"utm has no '{field.Name}'; its fields are source, medium, campaign, term and content.";
            if (problem is not null)
            {
                errors["utm." + field.Name] = [problem];
            }
        }

        return (changed.IsEmpty ? null : changed, null);
    }
}
