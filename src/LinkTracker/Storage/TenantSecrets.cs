using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace LinkTracker.Storage;

/// <summary>
/// The Data Protection keys that encrypt the tenants' PostgreSQL passwords in the catalog (ADR 12): a key folder
/// (mode 0700, key files 0600) that every api, worker and CLI node of one deployment shares.
/// </summary>
internal static class TenantSecrets
{
    /// <summary>The same on every node: keys are isolated per application name.</summary>
    private const string ApplicationName = "LinkTracker";

    /// <summary>Storage:KeysDirectory, else the keys folder of the data folder.</summary>
    public static string KeysDirectory(StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.KeysDirectory) ? Path.Combine(options.DataDirectory, "keys") : options.KeysDirectory;

    public static IDataProtectionProvider Provider(string keysDirectory)
    {
        var folder = PrivateFileXmlRepository.CreateFolder(keysDirectory);
        return DataProtectionProvider.Create(folder, builder =>
        {
            builder.SetApplicationName(ApplicationName);
            builder.Services.Configure<KeyManagementOptions>(o => o.XmlRepository = new PrivateFileXmlRepository(folder));
        });
    }
}
