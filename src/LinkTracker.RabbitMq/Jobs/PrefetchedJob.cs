namespace LinkTracker.RabbitMq.Jobs;

/// <summary>
/// A delivery the broker handed to this process's consumer and no receiver has leased yet. Its tag means something
/// only on the consumer channel of its Generation.
/// </summary>
internal sealed record PrefetchedJob(ulong Tag, long Generation, JobMessage Job);
