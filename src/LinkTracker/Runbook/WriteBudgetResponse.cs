namespace LinkTracker.Runbook;

/// <summary>
/// The write budget as "used / budget": <paramref name="PerSecond"/> write transactions a second (Writer:MaxTransactionsPerSecond);
/// <paramref name="Scope"/> "database" when every writer of the PostgreSQL database shares it (then the use counts all
/// of them), "process" when it is this writer's own; <paramref name="UsedLastSecond"/> null when the database cannot say.
/// </summary>
public sealed record WriteBudgetResponse(int PerSecond, string Scope, int? UsedLastSecond, int? UsedThisSecond);
