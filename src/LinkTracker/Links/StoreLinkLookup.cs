using LinkTracker.Core.Links;

namespace LinkTracker.Links;

/// <summary>A link straight from the tenant's store, unless the code filter knows the code is missing; deleted links count as missing.</summary>
public sealed class StoreLinkLookup(ILinkStore store, LinkCodeFilter codes) : ILinkLookup
{
    private long _reads;
    private long _filtered;

    /// <summary>Lookups that read the store.</summary>
    public long StoreReads => Interlocked.Read(ref _reads);

    /// <summary>Lookups the code filter answered "missing" without reading the store.</summary>
    public long Filtered => Interlocked.Read(ref _filtered);

    public async Task<SharedLink> FindAsync(string tenant, string code, CancellationToken cancellationToken)
    {
        if (!codes.MayExist(tenant, code))
        {
            Interlocked.Increment(ref _filtered);
            return SharedLink.Missing;
        }

        Interlocked.Increment(ref _reads);
        return await store.FindAsync(tenant, code, cancellationToken) is { } link
            ? new SharedLink(
                true, link.Destination, link.ExpiresAt, link.Disabled, SharedLink.StatusOf(link.LegacyStatus),
                link.Features.MaxVisits, link.CreatedAt.ToUnixTimeMilliseconds(), link.Features.Rules is { Count: > 0 } rules ? rules : null)
            : SharedLink.Missing;
    }
}
