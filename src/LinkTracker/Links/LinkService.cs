using LinkTracker.Core.Links;
using LinkTracker.Runbook;

namespace LinkTracker.Links;

/// <summary>Creating and changing links: validation, code generation, the store, cache invalidation.</summary>
public sealed class LinkService(ILinkStore store, LinkCache cache, LinkCodeFilter codes, TimeProvider time, TenantActivity? activity = null)
{
    public const int MaxBatch = 1000;
    private const int GenerationAttempts = 5;

    /// <summary>Validation errors keyed by field ("url", or "links[3].url" in a batch).</summary>
    public sealed record Outcome(IReadOnlyList<Link> Links, Dictionary<string, string[]> Errors, bool Conflict)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    /// <summary>Creates every link or none.</summary>
    public async Task<Outcome> CreateAsync(string tenant, IReadOnlyList<CreateLinkRequest> requests, bool batch, CancellationToken cancellationToken)
    {
        activity?.Add(tenant, batch ? TenantActivityKind.LinkBatches : TenantActivityKind.LinksCreatedOneByOne);
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var links = new Link[requests.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            var prefix = batch ? $"links[{i}]." : string.Empty;
            var request = requests[i];
            if (request is null)
            {
                errors[$"links[{i}]"] = ["Each item is a link object with at least a url."];
                continue;
            }

            AddError(errors, prefix + "url", LinkRules.NormalizeDestination(request.Url, out var destination));
            AddError(errors, prefix + "code", request.Code is null ? null : LinkCodes.Validate(request.Code));
            AddError(errors, prefix + "code", request.Code is not null && !seen.Add(request.Code) ? $"Code '{request.Code}' appears twice in this batch." : null);
            AddError(errors, prefix + "tags", LinkRules.ValidateTags(request.Tags));
            AddError(errors, prefix + "campaign", LinkRules.ValidateCampaign(request.Campaign));
            AddError(errors, prefix + "expiresAt", LinkRules.ValidateExpiry(request.ExpiresAt, now));
            var utm = request.Utm is { IsEmpty: false } given ? given : null;
            UtmParameters.Validate(utm, prefix, errors);
            AddError(errors, prefix + "maxVisits", LinkRules.ValidateMaxVisits(request.MaxVisits));
            var rules = RedirectRuleSet.Validate(request.Rules, prefix, errors);
            if (destination is not null && utm is not null && errors.Count == 0)
            {
                destination = UtmParameters.Apply(destination, utm);
                AddError(errors, prefix + "utm", LinkRules.ValidateBuiltLength(destination));
            }

            links[i] = new Link(
                request.Code ?? LinkCodes.Generate(), destination ?? string.Empty, LinkRules.NormalizeTags(request.Tags),
                request.Campaign, request.ExpiresAt, request.Disabled, now, now, Features: new LinkFeatures(utm, rules, request.MaxVisits));
        }

        if (errors.Count > 0)
        {
            return new Outcome([], errors, Conflict: false);
        }

        for (var attempt = 1; ; attempt++)
        {
            IReadOnlyList<string> taken;
            using (codes.Inserting(tenant, [.. links.Select(l => l.Code)]))
            {
                taken = await store.InsertAsync(tenant, links, cancellationToken);
            }

            if (taken.Count == 0)
            {
                break;
            }

            var takenSet = taken.ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < links.Length; i++)
            {
                if (!takenSet.Contains(links[i].Code))
                {
                    continue;
                }

                if (requests[i].Code is not null || attempt == GenerationAttempts)
                {
                    var prefix = batch ? $"links[{i}]." : string.Empty;
                    AddError(errors, prefix + "code", $"Code '{links[i].Code}' is already taken on this tenant (by a live or a deleted link). Choose another, or omit it to get a generated one.");
                }
                else
                {
                    links[i] = links[i] with { Code = LinkCodes.Generate() };
                }
            }

            if (errors.Count > 0)
            {
                return new Outcome([], errors, Conflict: true);
            }
        }

        foreach (var link in links)
        {
            await cache.InvalidateAsync(tenant, link.Code, cancellationToken);
        }

        return new Outcome(links, errors, Conflict: false);
    }

    public async Task<bool> UpdateAsync(string tenant, Link link, CancellationToken cancellationToken)
    {
        var updated = await store.UpdateAsync(tenant, link with { UpdatedAt = time.GetUtcNow() }, cancellationToken);
        await cache.InvalidateAsync(tenant, link.Code, cancellationToken);
        return updated;
    }

    public async Task<bool> DeleteAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteAsync(tenant, code, time.GetUtcNow(), cancellationToken);
        await cache.InvalidateAsync(tenant, code, cancellationToken);
        return deleted;
    }

    private static void AddError(Dictionary<string, string[]> errors, string field, string? message)
    {
        if (message is not null)
        {
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
        }
    }
}
