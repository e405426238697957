using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging.Abstractions;

namespace LinkTracker.Storage;

/// <summary>
/// Data Protection's file repository, with the key folder readable by its owner only (0700) and each key file 0600:
/// the keys are stored unencrypted (there is no machine key store on Linux), so the file mode is their protection.
/// </summary>
internal sealed class PrivateFileXmlRepository(DirectoryInfo folder) : IXmlRepository
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly FileSystemXmlRepository _files = new(folder, NullLoggerFactory.Instance);

    public static DirectoryInfo CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }

        var folder = Directory.CreateDirectory(path, FolderMode);
        File.SetUnixFileMode(folder.FullName, FolderMode); // also when it existed with a wider mode
        return folder;
    }

    public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _files.StoreElement(element, friendlyName);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var file in folder.EnumerateFiles("*.xml"))
        {
            if (file.UnixFileMode != FileMode)
            {
                File.SetUnixFileMode(file.FullName, FileMode);
            }
        }
    }
}
