using LinkTracker.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Doctor;

/// <summary>Clicks wait too long before they are stored: the age of the oldest against the thresholds.</summary>
public sealed class LagCheck(ClickMetrics metrics, ClickBacklog backlog, IOptions<DoctorOptions> options) : IDoctorCheck
{
    public string Name => "lag";

    public async Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        var lag = metrics.LagSeconds;
        var o = options.Value;
        if (lag <= o.LagWarning.TotalSeconds)
        {
            return [];
        }

        var waiting = await backlog.ByTenantAsync(cancellationToken);
        var top = string.Join(", ", waiting.OrderByDescending(w => w.Value).Take(3).Select(w => $"{w.Key} {w.Value}"));
        var severity = lag > o.LagAction.TotalSeconds ? DoctorSeverity.Action : DoctorSeverity.Warning;
        return
        [
            new DoctorProblem(Name, severity,
                $"The oldest waiting click is {DoctorText.Seconds(lag)} old: stats are that far behind.",
                $"lag {DoctorText.Seconds(lag)} (warning above {DoctorText.Seconds(o.LagWarning.TotalSeconds)}, action above {DoctorText.Seconds(o.LagAction.TotalSeconds)}); most waiting: {(top.Length == 0 ? "none reported" : top)}.",
                RunbookSections.Lag),
        ];
    }
}
