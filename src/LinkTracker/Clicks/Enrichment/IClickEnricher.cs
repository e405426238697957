namespace LinkTracker.Clicks.Enrichment;

/// <summary>
/// One step of the writer's enrichment stage (ADR 17): adds facts to a batch of one tenant's clicks before they are
/// stored. Steps run in <see cref="Order"/>, lowest first, each seeing what the earlier ones set; address truncation
/// is always last, so every step before it may read the full address and nothing after it can.
/// </summary>
public interface IClickEnricher
{
    /// <summary>Where this step runs; two steps may not share one. Classification 100, mail scanners 200, device 300, geo 400.</summary>
    int Order { get; }

    /// <summary>Enriches the clicks in place. Must be a function of the clicks (and, for stateful steps, of earlier clicks), never of how they were batched.</summary>
    void Enrich(string tenant, IReadOnlyList<ClickDraft> clicks);
}
