using LinkTracker.Core.Tenants;

namespace LinkTracker.Tenants;

/// <summary>The tenant of the current API request, set from the host by <see cref="ApiKeyAuthenticationHandler"/>, never from the caller's input.</summary>
public sealed class TenantContext
{
    private Tenant? _tenant;

    public Tenant Tenant
    {
        get => _tenant ?? throw new InvalidOperationException("No tenant was resolved for this request.");
        set => _tenant = value;
    }

    public string Slug => Tenant.Slug;
}
