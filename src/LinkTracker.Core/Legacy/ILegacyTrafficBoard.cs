namespace LinkTracker.Core.Legacy;

/// <summary>
/// Where every node of the distributed deployment counts the requests it answered through a tenant's legacy system, per
/// minute, so the migration view on any api node shows the fleet's (edges proxy and fall back; api nodes answer the view).
/// </summary>
public interface ILegacyTrafficBoard
{
    /// <summary>One request of <paramref name="kind"/> in <paramref name="minute"/> (Unix minutes). Never waits, never throws.</summary>
    void Add(string tenant, long minute, int kind);

    /// <summary>
    /// Requests per kind (index = kind, <paramref name="kinds"/> of them) in each window: the <c>windows[i]</c> minutes up to
    /// <paramref name="toMinute"/>, included. One read of the widest window answers them all.
    /// </summary>
    Task<long[][]> SumAsync(string tenant, long toMinute, IReadOnlyList<int> windows, int kinds, CancellationToken cancellationToken);
}
