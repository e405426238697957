using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder of the embedded databases: catalog.db, journal.db and tenants/*.db.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";
}
