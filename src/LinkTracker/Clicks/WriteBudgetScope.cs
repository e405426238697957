namespace LinkTracker.Clicks;

/// <summary>Whose write budget a writer keeps to: this process's own cap, or the database's, shared by all its writers (ADR 22).</summary>
public enum WriteBudgetScope
{
    Process,
    Database,
}
