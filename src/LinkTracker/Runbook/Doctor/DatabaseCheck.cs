using LinkTracker.Tenants;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Doctor;

/// <summary>The tenant list can be read: from the catalog database, or on an edge from the api nodes.</summary>
public sealed class DatabaseCheck(ITenantSource tenants, IOptions<DoctorOptions> options) : IDoctorCheck
{
    public string Name => "database";

    public async Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ProbeTimeout);
        try
        {
            await tenants.ListTenantsAsync(timeout.Token);
            return [];
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return
            [
                new DoctorProblem(Name, DoctorSeverity.Action,
                    "The catalog cannot be read (database, or on an edge the api nodes): new tenants and uncached links fail.",
                    $"{ex.GetType().Name}: {ex.Message}", RunbookSections.Dependencies),
            ];
        }
    }
}
