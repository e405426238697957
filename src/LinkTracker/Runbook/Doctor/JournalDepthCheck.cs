using LinkTracker.Clicks;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Doctor;

/// <summary>This node's journal holds many clicks: the writer (or on an edge, the forwarder) does not keep up.</summary>
public sealed class JournalDepthCheck(PendingClicks pending, ClickMetrics metrics, IOptions<DoctorOptions> options) : IDoctorCheck
{
    public string Name => "journal-depth";

    public Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        var depth = pending.Total;
        if (depth < options.Value.JournalDepthWarning)
        {
            return Task.FromResult<IReadOnlyList<DoctorProblem>>([]);
        }

        var top = string.Join(", ", pending.Snapshot().OrderByDescending(p => p.Value).Take(3).Select(p => $"{p.Key} {p.Value}"));
        return Task.FromResult<IReadOnlyList<DoctorProblem>>(
        [
            new DoctorProblem(Name, DoctorSeverity.Warning,
                $"{depth} clicks wait in this node's journal (warning from {options.Value.JournalDepthWarning}).",
                $"journalDepth {depth}; by tenant: {top}; forwardFailures {metrics.ForwardFailures}, writeFailures {metrics.WriteFailures}, captureFailures {metrics.CaptureFailures}.",
                RunbookSections.JournalDepth),
        ]);
    }
}
