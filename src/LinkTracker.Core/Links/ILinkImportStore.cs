namespace LinkTracker.Core.Links;

/// <summary>
/// What imports need besides link creation (which goes through the links' own path): which codes are taken, and a
/// ledger of imported links whose past clicks are added to the hourly rollups exactly once.
/// </summary>
public interface ILinkImportStore
{
    /// <summary>The given codes that the tenant has, live or deleted; absent codes are not in the result.</summary>
    Task<IReadOnlyDictionary<string, ExistingCode>> FindCodesAsync(string tenant, IReadOnlyCollection<string> codes, CancellationToken cancellationToken);

    /// <summary>
    /// Records the links in the ledger, in one transaction. A link recorded before with other counts has its earlier
    /// counts taken out of the rollups and the new ones added; recording the same values again changes nothing.
    /// </summary>
    /// <returns>How many links were new in the ledger or changed.</returns>
    Task<int> RecordAsync(string tenant, IReadOnlyList<ImportedLink> links, DateTimeOffset at, CancellationToken cancellationToken);

    /// <returns>The ledger entry of a code, or null when no import recorded it.</returns>
    Task<ImportedLink?> FindRecordAsync(string tenant, string code, CancellationToken cancellationToken);
}
