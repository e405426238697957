namespace LinkTracker.Dashboard;

/// <summary>A refused change to dashboard users; the message says what to do instead.</summary>
public sealed class DashboardUserException(string message) : Exception(message);
