using LinkTracker.Clicks;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Doctor;

/// <summary>
/// One tenant takes most of the clicks written, of the backlog or of the writer's time. Fair scheduling keeps the others
/// moving, but that tenant's lag and the shared cap are where to look. Only with neighbours (two tenants or more).
/// </summary>
public sealed class NoisyTenantCheck(TenantActivity activity, ClickBacklog backlog, TenantDirectory tenants, IOptions<DoctorOptions> options) : IDoctorCheck
{
    public string Name => "noisy-tenant";

    public async Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        if (tenants.Count < 2)
        {
            return [];
        }

        var o = options.Value;
        var written = activity.ByTenant(TenantActivityKind.ClicksWritten);
        var writerTime = activity.ByTenant(TenantActivityKind.WriterMilliseconds);
        var waiting = await backlog.ByTenantAsync(cancellationToken);
        var enoughWritten = written.Values.Sum() >= o.NoisyMinimumClicks;
        var enoughWaiting = waiting.Values.Sum() >= o.NoisyMinimumClicks;

        var noisy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (enoughWritten)
        {
            Flag(noisy, written, o.NoisyShare, "of the clicks written");
            Flag(noisy, writerTime, o.NoisyShare, "of the writer's time");
        }

        if (enoughWaiting)
        {
            Flag(noisy, waiting, o.NoisyShare, "of the clicks waiting");
        }

        return [.. noisy.Select(n => new DoctorProblem(Name, DoctorSeverity.Warning,
            $"Tenant {n.Key} is a noisy neighbour: it takes most of the click traffic.",
            $"in {DoctorText.Window}: {string.Join("; ", n.Value)} ({written.Values.Sum()} clicks written, {waiting.Values.Sum()} waiting, {tenants.Count} tenants).",
            RunbookSections.NoisyTenant, n.Key))];
    }

    private static void Flag(Dictionary<string, List<string>> noisy, IReadOnlyDictionary<string, long> amounts, double threshold, string what)
    {
        var total = amounts.Values.Sum();
        if (total <= 0)
        {
            return;
        }

        foreach (var (tenant, amount) in amounts)
        {
            var share = (double)amount / total;
            if (share >= threshold)
            {
                if (!noisy.TryGetValue(tenant, out var reasons))
                {
                    noisy[tenant] = reasons = [];
                }

                reasons.Add($"{DoctorText.Percent(share)} {what} ({amount} of {total})");
            }
        }
    }
}
