namespace LinkTracker.Core.Segments;

/// <summary>
/// The index of one tenant's clicks by recipient, built by the operator's choice (ADR 31): it makes "at least N clicks"
/// segments read the window's clicks already grouped, and makes every click of that tenant cost its writer one more
/// insert at a random place. Not a migration: a tenant without it, the default, writes at full speed.
/// </summary>
public interface IRecipientIndex
{
    /// <summary>The index's name in the tenant's database (on PostgreSQL, each partition's is named after its table).</summary>
    const string Name = "clicks_recipient";

    /// <summary>What a segment run's shape ends with when the index would have served it and the tenant has none (doctor, insights).</summary>
    const string MissingShape = " without recipient index";

    /// <summary>Whether the tenant's clicks have a complete index (a build that was interrupted does not count).</summary>
    Task<bool> ExistsAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Builds the index without holding the click writer for long (PostgreSQL: concurrently, partition by partition);
    /// safe to run again, and finishes an interrupted build. Clicks of months created later get theirs with the month.
    /// </summary>
    Task BuildAsync(string tenant, CancellationToken cancellationToken);

    /// <returns>false when the tenant had no index.</returns>
    Task<bool> DropAsync(string tenant, CancellationToken cancellationToken);
}
