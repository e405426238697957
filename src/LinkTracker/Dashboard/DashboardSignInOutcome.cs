namespace LinkTracker.Dashboard;

public enum DashboardSignInOutcome
{
    Succeeded,

    /// <summary>Unknown email or wrong password: the page says the same for both.</summary>
    WrongCredentials,

    /// <summary>Too many wrong passwords; refused until the lockout ends, whatever the password.</summary>
    LockedOut,
}
