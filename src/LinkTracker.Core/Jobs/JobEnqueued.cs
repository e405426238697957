namespace LinkTracker.Core.Jobs;

/// <summary>The id of an enqueued job; <paramref name="Added"/> is false when a job with that id was already waiting or dead.</summary>
public readonly record struct JobEnqueued(string Id, bool Added);
