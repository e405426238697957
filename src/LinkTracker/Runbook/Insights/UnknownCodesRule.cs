using LinkTracker.Runbook.Doctor;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Insights;

/// <summary>Many redirects on the tenant's host ask for codes it does not have: a scanner, or links sent with a typo.</summary>
public sealed class UnknownCodesRule(TenantActivity activity, IOptions<InsightsOptions> options) : IInsightRule
{
    public Insight? Evaluate(string tenant)
    {
        var unknown = activity.Sum(tenant, TenantActivityKind.UnknownCodes);
        return unknown < options.Value.UnknownCodes ? null : new Insight(
            "unknown-codes",
            "Many visits ask for codes you do not have.",
            "Those people see a 404 page: either a scanner is trying random codes (harmless, we answer it from memory) or links you sent point to codes that do not exist.",
            "If you recently sent a mailing, check its links against GET /api/links (a deleted or mistyped code answers 404). If not, it is a scanner and nothing needs doing.",
            $"{unknown} redirects to unknown codes in {DoctorText.Window}.");
    }
}
