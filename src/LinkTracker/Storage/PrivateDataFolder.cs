using System.Runtime.InteropServices;

namespace LinkTracker.Storage;

/// <summary>
/// Keeps the data folder to the service's own user, whatever the umask it was started with: the folder and its
/// subfolders 0700, every file 0600 (databases, their -wal/-shm, journal segments, keys, the operator token). The
/// process's umask becomes 077, so files made later (by SQLite too) are created that way.
/// </summary>
internal static class PrivateDataFolder
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static int _masked;

    /// <summary>Creates the folder if needed and narrows what is already in it; returns the folder.</summary>
    public static string Prepare(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return path;
        }

        if (Interlocked.Exchange(ref _masked, 1) == 0)
        {
            _ = Umask(Convert.ToUInt32("077", 8));
        }

        Directory.CreateDirectory(path, Folder);
        Narrow(new DirectoryInfo(path));
        return path;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Narrow(DirectoryInfo folder)
    {
        folder.UnixFileMode = Folder;
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                continue; // a link the operator made on purpose (e.g. keys on another disk) is left alone
            }

            if (entry is DirectoryInfo sub)
            {
                Narrow(sub);
            }
            else if ((entry.UnixFileMode & ~File) != 0)
            {
                entry.UnixFileMode = File;
            }
        }
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
