namespace LinkTracker.Core.Common;

/// <summary>
/// A database is more than one schema version behind this LinkTracker (one behind is served during a rollout), or a
/// feature needs a version the tenant has not reached yet. The message names the command that fixes it.
/// </summary>
public sealed class SchemaTooOldException(string database, int found, int needed)
    : Exception($"{database} is at schema version {found}, but this needs version {needed}. Run `linktracker migrate` with the owner login (Storage:PostgresOwner), then retry.");
