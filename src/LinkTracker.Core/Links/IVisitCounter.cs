namespace LinkTracker.Core.Links;

/// <summary>
/// Counts the visits of links with a visit limit, exactly, across every node that redirects (ADR 25): Redis in the
/// distributed deployment, the tenant's database in the embedded one. Only limited links ever reach it.
/// </summary>
public interface IVisitCounter
{
    /// <summary>Counts one visit if fewer than <paramref name="maxVisits"/> were counted; a count never goes beyond it.</summary>
    /// <returns>true when this visit was counted (redirect), false when the limit was already reached (gone).</returns>
    /// <exception cref="Exception">The count cannot be known (Redis or the database down): the caller refuses the visit.</exception>
    Task<bool> TryVisitAsync(VisitKey key, long maxVisits, DateTimeOffset? expiresAt, CancellationToken cancellationToken);
}
