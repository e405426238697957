using LinkTracker.Core.Links;

namespace LinkTracker.Links;

/// <summary>A link straight from the tenant's store; deleted links count as missing.</summary>
public sealed class StoreLinkLookup(ILinkStore store) : ILinkLookup
{
    public async Task<SharedLink> FindAsync(string tenant, string code, CancellationToken cancellationToken) =>
        await store.FindAsync(tenant, code, cancellationToken) is { } link
            ? new SharedLink(true, link.Destination, link.ExpiresAt, link.Disabled)
            : SharedLink.Missing;
}
