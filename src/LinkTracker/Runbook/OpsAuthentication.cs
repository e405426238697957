namespace LinkTracker.Runbook;

/// <summary>Names of the operator scheme and policy, and the header that may carry the token.</summary>
public static class OpsAuthentication
{
    /// <summary>The authentication scheme: 'X-Ops-Token: &lt;token&gt;' or 'Authorization: Bearer &lt;token&gt;', never a cookie.</summary>
    public const string Scheme = "Ops";

    /// <summary>The authorization policy of every /ops route and /metrics.</summary>
    public const string Policy = "operator";

    public const string Header = "X-Ops-Token";
}
