using LinkTracker.Core.Jobs;

namespace LinkTracker.Runbook.Doctor;

/// <summary>Jobs that failed every attempt wait for an operator (click dead letters are counted by <see cref="BrokerCheck"/>).</summary>
public sealed class DeadLettersCheck(IJobQueue? queue = null) : IDoctorCheck
{
    private const int Shown = 3;

    public string Name => "dead-letters";

    public async Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        if (queue is null)
        {
            return []; // an edge runs no jobs
        }

        var counts = await queue.CountAsync(cancellationToken);
        if (counts.Dead == 0)
        {
            return [];
        }

        var dead = await queue.ListDeadAsync(Shown, cancellationToken);
        var tenants = dead.Select(d => d.Tenant).Distinct().ToList();
        var examples = string.Join("; ", dead.Select(d => $"{d.Id} ({d.Attempts} attempts): {Shorten(d.LastError)}"));
        return
        [
            new DoctorProblem(Name, DoctorSeverity.Action,
                $"{counts.Dead} job(s) failed every attempt and wait as dead letters.",
                $"{examples}{(counts.Dead > Shown ? $"; and {counts.Dead - Shown} more" : "")}. See 'linktracker jobs dead'.",
                RunbookSections.DeadLetters, counts.Dead <= Shown && tenants.Count == 1 ? tenants[0] : null),
        ];
    }

    private static string Shorten(string error) => error.Length <= 200 ? error : error[..200] + "…";
}
