namespace LinkTracker.Core.Jobs;

/// <summary>
/// The id of an enqueued job; <paramref name="Added"/> is false when a job with that id was already waiting, leased or
/// dead, and true for a leased one a <see cref="JobRequest.Refresh"/> request will run once more.
/// </summary>
public readonly record struct JobEnqueued(string Id, bool Added);
