namespace LinkTracker.Reports;

/// <summary>POST /api/reports: make (or make again) the reports of the local days <paramref name="From"/> to <paramref name="To"/>, both included, as yyyy-MM-dd.</summary>
public sealed record CreateReportsRequest(string? From, string? To);
