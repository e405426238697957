using LinkTracker.Core.Links;

namespace LinkTracker.Links;

/// <summary>
/// The rules of a link's redirect rules: at most <see cref="MaxRules"/>, each with exactly one condition list (ISO
/// country codes, device kinds or OS families, matched case-insensitively) and a destination validated like the url.
/// </summary>
public static class RedirectRuleSet
{
    public const int MaxRules = 20;
    public const int MaxValues = 50;

    public static readonly string[] Devices = ["mobile", "tablet", "desktop", "other"];

    /// <returns>The rules as stored (destinations normalised, null when there are none); errors keyed "rules[0].url".</returns>
    public static IReadOnlyList<RedirectRule>? Validate(IReadOnlyList<RedirectRule?>? rules, string prefix, Dictionary<string, string[]> errors)
    {
        if (rules is null || rules.Count == 0)
        {
            return null;
        }

        if (rules.Count > MaxRules)
        {
            errors[prefix + "rules"] = [$"A link has at most {MaxRules} redirect rules; {rules.Count} were given."];
            return null;
        }

        var stored = new List<RedirectRule>(rules.Count);
        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"{prefix}rules[{i}]";
            if (rules[i] is not { } rule)
            {
                errors[path] = ["Each rule is {\"when\": {\"country\"|\"device\"|\"os\": [...]}, \"url\": \"https://...\"}."];
                continue;
            }

            if (ValidateCondition(rule.When) is { } problem)
            {
                errors[path + ".when"] = [problem];
            }

            if (LinkRules.NormalizeDestination(rule.Url, out var url) is { } urlProblem)
            {
                errors[path + ".url"] = [urlProblem];
            }

            stored.Add(new RedirectRule(rule.When, url ?? string.Empty));
        }

        return stored;
    }

    private static string? ValidateCondition(RuleCondition? when)
    {
        var lists = new[] { when?.Country, when?.Device, when?.Os }.Count(l => l is { Count: > 0 });
        if (lists != 1)
        {
            return "when has exactly one non-empty list: country (ISO codes such as \"DE\"), device (mobile, tablet, desktop, other) or os (such as \"iOS\", \"Android\").";
        }

        var values = (when!.Country ?? when.Device ?? when.Os)!;
        if (values.Count > MaxValues || values.Any(v => string.IsNullOrWhiteSpace(v) || v.Length > 40))
        {
            return $"A condition lists 1 to {MaxValues} values of 1 to 40 characters.";
        }

        if (when.Country is { Count: > 0 } countries && countries.Any(c => c.Length != 2 || !c.All(char.IsAsciiLetter)))
        {
            return "country values are two-letter ISO 3166 codes such as \"DE\" or \"us\".";
        }

        return when.Device is { Count: > 0 } devices && devices.Any(d => !Devices.Contains(d, StringComparer.OrdinalIgnoreCase))
            ? "device values are mobile, tablet, desktop and other."
            : null;
    }
}
