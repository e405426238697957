namespace LinkTracker.Core.Clicks;

/// <summary>Deletes a tenant's old raw clicks. The rollups and first-seen recipients stay, so stats over any range stay whole.</summary>
public interface IClickRetention
{
    /// <summary>
    /// Deletes the tenant's raw clicks that happened before <paramref name="before"/>, in short transactions so the
    /// click writer is never held up for long. Running it again deletes nothing more.
    /// </summary>
    /// <returns>How many clicks were deleted.</returns>
    Task<long> DeleteClicksBeforeAsync(string tenant, DateTimeOffset before, CancellationToken cancellationToken);
}
