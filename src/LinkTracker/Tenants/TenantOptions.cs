using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Tenants;

public sealed class TenantOptions
{
    public const string Section = "Tenants";

    /// <summary>Tenant hosts are &lt;slug&gt;.&lt;BaseDomain&gt;; requests to the base domain itself reach no tenant.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", ErrorMessage = "Tenants:BaseDomain must be a lowercase host name such as links.example.com.")]
    public string BaseDomain { get; set; } = "localhost";

    /// <summary>How often the in-memory tenant list is reloaded from the catalog.</summary>
    [Range(1, 3600)]
    public int RefreshSeconds { get; set; } = 5;
}
