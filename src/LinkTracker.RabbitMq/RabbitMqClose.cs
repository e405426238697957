using RabbitMQ.Client;

namespace LinkTracker.RabbitMq;

/// <summary>Closing what may already be broken: a failure to close is no news.</summary>
public static class RabbitMqClose
{
    public static async Task QuietlyAsync(IChannel? channel, IConnection? connection)
    {
        try
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
        }
        catch (Exception)
        {
            // Already closed by the broker or the network.
        }

        try
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
        catch (Exception)
        {
            // Same.
        }
    }
}
