namespace LinkTracker.Dashboard;

/// <summary>Names of the dashboard's cookie schemes, cookies, policies and claims (ADR 16).</summary>
public static class DashboardAuthentication
{
    /// <summary>The tenant dashboard's cookie scheme; its cookie is host-only, so it goes back to one tenant's host.</summary>
    public const string Scheme = "Dashboard";

    public const string Cookie = "lt_dashboard";

    /// <summary>The operator page's cookie scheme, issued for the operator token on the base domain.</summary>
    public const string OperatorScheme = "DashboardOperator";

    public const string OperatorCookie = "lt_ops";

    /// <summary>The operator session's claim holding <see cref="Runbook.OpsCredential.SessionStamp"/> of the token it was signed in with.</summary>
    public const string OperatorTokenClaim = "lt_ops_token";

    /// <summary>Any signed-in user of the host's tenant.</summary>
    public const string ViewerPolicy = "dashboard-viewer";

    /// <summary>A signed-in editor of the host's tenant.</summary>
    public const string EditorPolicy = "dashboard-editor";

    public const string OperatorPolicy = "dashboard-operator";

    public const string Viewer = "viewer";

    public const string Editor = "editor";

    public static bool IsRole(string? role) => role is Viewer or Editor;
}
