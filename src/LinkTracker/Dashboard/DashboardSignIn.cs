using LinkTracker.Core.Dashboard;

namespace LinkTracker.Dashboard;

/// <summary>What a sign-in attempt came to; <see cref="User"/> is set only when it succeeded.</summary>
public sealed record DashboardSignIn(DashboardSignInOutcome Outcome, DashboardUser? User = null, DateTimeOffset? LockedUntil = null);
