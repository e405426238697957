namespace LinkTracker.Core.Dashboard;

/// <summary>
/// The dashboard users of a tenant, in the tenant's own database. A removed user is kept as a row without access
/// (the PostgreSQL tenant role may not DELETE) and never returned; adding the same email again replaces it.
/// </summary>
public interface IDashboardUserStore
{
    /// <summary>Adds the user, or replaces the role and password of an existing or removed one (its sign-in failures are cleared).</summary>
    Task SaveAsync(string tenant, DashboardUser user, CancellationToken cancellationToken);

    /// <returns>The live user with that email, or null.</returns>
    Task<DashboardUser?> FindAsync(string tenant, string email, CancellationToken cancellationToken);

    /// <summary>Live users, by email.</summary>
    Task<IReadOnlyList<DashboardUser>> ListAsync(string tenant, CancellationToken cancellationToken);

    /// <returns>False when there was no live user with that email.</returns>
    Task<bool> RemoveAsync(string tenant, string email, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Counts one wrong password atomically (concurrent attempts all count); when the count reaches
    /// <paramref name="maxFailures"/>, locks the user until <paramref name="lockUntil"/> and starts the count again.
    /// </summary>
    /// <returns>True when this failure locked the user.</returns>
    Task<bool> RecordFailedSignInAsync(string tenant, string email, int maxFailures, DateTimeOffset lockUntil, CancellationToken cancellationToken);

    /// <summary>Clears the failure count after a successful sign-in.</summary>
    Task RecordSignInAsync(string tenant, string email, DateTimeOffset at, CancellationToken cancellationToken);
}
