using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Api;

public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Tenant API calls per second, per tenant (a token bucket): one tenant's script cannot starve the others.</summary>
    [Range(1, 100_000)]
    public int RequestsPerSecondPerTenant { get; set; } = 50;

    /// <summary>How many calls a tenant may make at once above the steady rate.</summary>
    [Range(1, 100_000)]
    public int BurstPerTenant { get; set; } = 200;

    /// <summary>Calls without a valid credential one client address may make per window before 429 (they never spend a tenant's budget).</summary>
    [Range(1, 100_000)]
    public int UnauthenticatedPerAddress { get; set; } = 30;

    /// <summary>The window of <see cref="UnauthenticatedPerAddress"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan UnauthenticatedWindow { get; set; } = TimeSpan.FromMinutes(1);
}
