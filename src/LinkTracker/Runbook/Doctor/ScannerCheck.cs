using LinkTracker.Links;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Doctor;

/// <summary>Someone tries random codes on a tenant's host: many unknown codes in the window.</summary>
public sealed class ScannerCheck(TenantActivity activity, ILinkLookup lookup, IOptions<DoctorOptions> options) : IDoctorCheck
{
    public string Name => "scanners";

    public Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        var filtered = (lookup as StoreLinkLookup)?.Filtered;
        var reads = (lookup as StoreLinkLookup)?.StoreReads;
        var filter = filtered is null ? "" : $"; since start the code filter answered {filtered} unknown codes without a store read, {reads} lookups read the store";
        return Task.FromResult<IReadOnlyList<DoctorProblem>>([.. activity.ByTenant(TenantActivityKind.UnknownCodes)
            .Where(u => u.Value >= options.Value.ScannerUnknownCodes)
            .OrderByDescending(u => u.Value)
            .Select(u => new DoctorProblem(Name, DoctorSeverity.Warning,
                $"A scanner tries random codes on tenant {u.Key}'s host.",
                $"{u.Value} redirects to unknown codes of {u.Key} in {DoctorText.Window} (reported from {options.Value.ScannerUnknownCodes}){filter}.",
                RunbookSections.Scanners, u.Key))]);
    }
}
