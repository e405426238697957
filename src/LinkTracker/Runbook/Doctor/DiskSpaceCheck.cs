using LinkTracker.Storage;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook.Doctor;

/// <summary>Free space on the disk of the data folder (journal, job queue, SQLite files).</summary>
public sealed class DiskSpaceCheck(IOptions<StorageOptions> storage, IOptions<DoctorOptions> options) : IDoctorCheck
{
    public string Name => "disk-space";

    public Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(storage.Value.DataDirectory);
        var drive = new DriveInfo(folder);
        var freePercent = drive.TotalSize == 0 ? 100 : 100.0 * drive.AvailableFreeSpace / drive.TotalSize;
        var o = options.Value;
        if (freePercent >= o.DiskFreeWarningPercent)
        {
            return Task.FromResult<IReadOnlyList<DoctorProblem>>([]);
        }

        var severity = freePercent < o.DiskFreeActionPercent ? DoctorSeverity.Action : DoctorSeverity.Warning;
        return Task.FromResult<IReadOnlyList<DoctorProblem>>(
        [
            new DoctorProblem(Name, severity,
                $"The disk of the data folder is {DoctorText.Number(100 - freePercent)}% full: when it fills, clicks are redirected but not recorded.",
                $"{DoctorText.Number(drive.AvailableFreeSpace / 1048576.0)} MiB free of {DoctorText.Number(drive.TotalSize / 1048576.0)} MiB ({DoctorText.Number(freePercent)}%) on {drive.Name} holding {folder}; warning below {o.DiskFreeWarningPercent}%, action below {o.DiskFreeActionPercent}%.",
                RunbookSections.DiskSpace),
        ]);
    }
}
