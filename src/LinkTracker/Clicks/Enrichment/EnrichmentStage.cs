using LinkTracker.Core.Clicks;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>
/// Runs the ordered enrichers on each batch the writer takes, before it is stored (ADR 17). The edges record raw facts
/// only; everything derived from them is added here, off the redirect path.
/// </summary>
public sealed class EnrichmentStage
{
    private readonly IClickEnricher[] _enrichers;

    public EnrichmentStage(IEnumerable<IClickEnricher> enrichers)
    {
        _enrichers = [.. enrichers.OrderBy(e => e.Order)];
        for (var i = 1; i < _enrichers.Length; i++)
        {
            if (_enrichers[i].Order == _enrichers[i - 1].Order)
            {
                throw new InvalidOperationException(
                    $"Enrichers {_enrichers[i - 1].GetType().Name} and {_enrichers[i].GetType().Name} share the order {_enrichers[i].Order}; give each its own.");
            }
        }

        if (_enrichers.Length == 0 || _enrichers[^1] is not AddressTruncation)
        {
            throw new InvalidOperationException("Address truncation must be the last enricher: no click may be stored with its full address (ADR 19).");
        }
    }

    /// <summary>The enrichers in the order they run.</summary>
    public IReadOnlyList<IClickEnricher> Enrichers => _enrichers;

    public Click[] Enrich(string tenant, IReadOnlyList<Click> clicks)
    {
        var drafts = new ClickDraft[clicks.Count];
        for (var i = 0; i < drafts.Length; i++)
        {
            drafts[i] = new ClickDraft(clicks[i]);
        }

        foreach (var enricher in _enrichers)
        {
            enricher.Enrich(tenant, drafts);
        }

        var enriched = new Click[drafts.Length];
        for (var i = 0; i < drafts.Length; i++)
        {
            enriched[i] = drafts[i].ToClick();
        }

        return enriched;
    }
}
