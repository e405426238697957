using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Dashboard;

/// <summary>Sign-in rules of the tenant dashboards and the operator page.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Wrong passwords in a row that lock a user out.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked-out user is refused, even with the right password.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a session lasts without use (sliding); a browser closed ends it too.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Shortest password accepted by 'linktracker users add'.</summary>
    [Range(8, 1024)]
    public int MinPasswordLength { get; set; } = 12;
}
