namespace LinkTracker.Tenants;

/// <summary>Names of the tenant API key scheme and the policy every tenant API route requires.</summary>
public static class ApiKeyAuthentication
{
    /// <summary>The authentication scheme: 'Authorization: Bearer &lt;key&gt;' on the tenant's own host.</summary>
    public const string Scheme = "Bearer";

    /// <summary>The authorization policy of the /api group: a live key of the host's tenant.</summary>
    public const string Policy = "tenant";

    /// <summary>The claim holding the authenticated tenant's slug (the rate limiter's partition).</summary>
    public const string TenantClaim = "tenant";
}
