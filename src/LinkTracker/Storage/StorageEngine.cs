namespace LinkTracker.Storage;

/// <summary>Where the catalog and the tenants' data live; the click journal and the job queue stay local SQLite in both.</summary>
public enum StorageEngine
{
    /// <summary>Embedded: catalog.db and one file per tenant under the data folder.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: a catalog schema and one schema and role per tenant.</summary>
    Postgres,
}
