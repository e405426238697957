using Microsoft.Extensions.Logging;

namespace LinkTracker.RabbitMq.Jobs;

internal static partial class RabbitMqJobQueueLog
{
    [LoggerMessage(EventId = 4601, Level = LogLevel.Warning, Message = "Job {JobId} ({JobType}): the lease of attempt {Attempt} ended without an acknowledgement")]
    public static partial void LeaseEnded(ILogger logger, string jobId, string jobType, int attempt);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Error, Message = "Job {JobId}: could not record the end of its lease; the broker will deliver it again when this consumer's channel closes")]
    public static partial void LeaseEndFailed(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Warning, Message = "Job {JobId} ({JobType}) is a dead letter after {Attempts} attempts: {Error}")]
    public static partial void DeadLettered(ILogger logger, string jobId, string jobType, int attempts, string error);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Warning, Message = "The job consumer's channel closed; {Leases} leased jobs go back to the queue and will be delivered again")]
    public static partial void LeasesLost(ILogger logger, int leases);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Warning, Message = "Job {JobId}: its retry was published but the ack of attempt {Attempt} was not, so it may run twice")]
    public static partial void RetryMayDuplicate(ILogger logger, string jobId, int attempt);
}
