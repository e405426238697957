namespace LinkTracker.Core.Dashboard;

/// <summary>A person who signs in to one tenant's dashboard. The password is kept only as Identity's hash.</summary>
/// <param name="Email">Lower-case; the user's key within the tenant.</param>
/// <param name="Role">"viewer" (read only) or "editor".</param>
/// <param name="PasswordHash">PasswordHasher's versioned hash (PBKDF2), empty once removed.</param>
/// <param name="FailedSignIns">Wrong passwords since the last successful sign-in or lockout.</param>
/// <param name="LockedUntil">No sign-in is accepted before this time, even with the right password.</param>
/// <param name="CreatedAt">When the user was added.</param>
/// <param name="UpdatedAt">When the role or password last changed: sessions issued before it end.</param>
public sealed record DashboardUser(
    string Email,
    string Role,
    string PasswordHash,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
