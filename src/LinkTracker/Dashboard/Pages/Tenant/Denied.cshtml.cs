namespace LinkTracker.Dashboard.Pages.Tenant;

public sealed class DeniedModel : TenantPageModel
{
    public void OnGet()
    {
    }
}
