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
}
