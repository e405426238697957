using LinkTracker.Clicks.Enrichment;
using LinkTracker.Core.Links;

namespace LinkTracker.Redirects;

/// <summary>
/// Evaluates a link's redirect rules at the edge, only for links that have rules: device and OS from the user agent
/// (the enrichment's parser), country from the enrichment's geo database when the node has one (else a country rule
/// never matches). The first rule that matches wins.
/// </summary>
public sealed class RedirectRuleMatcher(IServiceProvider services)
{
    // Resolved at the first link with rules: a node (or a CLI command) that never sees one loads neither.
    private readonly Lazy<UserAgentFamilies> _families = new(() => services.GetService<UserAgentFamilies>() ?? new UserAgentFamilies());
    private readonly Lazy<GeoEnricher?> _geo = new(services.GetService<GeoEnricher>);

    /// <returns>The destination of the first matching rule, or null for the link's own.</returns>
    public string? Match(HttpContext context, IReadOnlyList<RedirectRule> rules)
    {
        UserAgentFamily? family = null;
        string? country = null;
        var countryRead = false;
        foreach (var rule in rules)
        {
            var when = rule.When;
            bool matched;
            if (when.Country is { Count: > 0 } countries)
            {
                if (!countryRead)
                {
                    country = context.Connection.RemoteIpAddress is { } address ? _geo.Value?.CountryOf(address) : null;
                    countryRead = true;
                }

                matched = country is not null && countries.Contains(country, StringComparer.OrdinalIgnoreCase);
            }
            else
            {
                family ??= _families.Value.Parse(context.Request.Headers.UserAgent.ToString());
                matched = when.Device is { Count: > 0 } devices
                    ? devices.Contains(family.Device, StringComparer.OrdinalIgnoreCase)
                    : when.Os is { } systems && systems.Contains(family.Os, StringComparer.OrdinalIgnoreCase);
            }

            if (matched)
            {
                return rule.Url;
            }
        }

        return null;
    }
}
