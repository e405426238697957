using LinkTracker.Core.Common;
using LinkTracker.Core.Legacy;
using LinkTracker.Links;

namespace LinkTracker.Legacy;

/// <summary>Legacy settings and learning straight through the tenant's store (embedded deployment, api nodes).</summary>
public sealed class StoreLegacySource(ILegacyStore store, LinkCache links, LinkCodeFilter codes) : ILegacySource
{
    public async Task<LegacySourceResponse> FindSettingsAsync(string tenant, CancellationToken cancellationToken)
    {
        try
        {
            return await store.GetSettingsAsync(tenant, cancellationToken) is { } settings
                ? new LegacySourceResponse(settings.BaseUrl, settings.NotFoundUrl, settings.GoneUrl)
                : LegacySourceResponse.None;
        }
        catch (SchemaTooOldException)
        {
            return LegacySourceResponse.None; // a tenant one version behind during a rollout: unknown codes stay 404s
        }
    }

    public async Task<bool> LearnAsync(string tenant, LearnedLink link, CancellationToken cancellationToken)
    {
        // A learned code is an insert like any other (ADR 10): in the code filter before it, so a lookup between the
        // commit and the invalidation below never reads "missing" from a filter built meanwhile.
        bool added;
        using (codes.Inserting(tenant, [link.Code]))
        {
            added = await store.LearnAsync(tenant, link, cancellationToken);
        }

        // Also when not added: the code exists, and a node that cached its absence must look again.
        await links.InvalidateAsync(tenant, link.Code, cancellationToken);
        return added;
    }
}
