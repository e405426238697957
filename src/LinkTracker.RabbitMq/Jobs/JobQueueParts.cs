using RabbitMQ.Client;

namespace LinkTracker.RabbitMq.Jobs;

/// <summary>What a job queue opens on its connection at first use: one channel each to publish, consume and browse dead letters.</summary>
internal sealed record JobQueueParts(IConnection Connection, ConfirmedPublisher Publisher, JobConsumer Consumer, DeadLetters Dead)
{
    public async ValueTask DisposeAsync(bool closeConnection)
    {
        await Consumer.DisposeAsync();
        await Dead.DisposeAsync();
        await Publisher.DisposeAsync();
        if (closeConnection)
        {
            await Connection.DisposeAsync();
        }
    }
}
