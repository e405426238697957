using LinkTracker.RabbitMq;
using LinkTracker.RabbitMq.Clicks;
using LinkTracker.Tenants;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace LinkTracker.Runbook.Doctor;

/// <summary>
/// RabbitMQ answers (distributed deployment with RabbitMq:Uri), its click dead-letter queue is empty and the tenants'
/// click queues are not deep. Counts come from passive declares, which never move a message.
/// </summary>
public sealed class BrokerCheck(ITenantSource tenants, IOptions<DoctorOptions> options, ConnectionFactory? factory = null, ClickQueues? queues = null) : IDoctorCheck
{
    public string Name => "broker";

    public async Task<IReadOnlyList<DoctorProblem>> CheckAsync(CancellationToken cancellationToken)
    {
        if (factory is null || queues is null)
        {
            return [];
        }

        IConnection? connection = null;
        IChannel? channel = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ProbeTimeout);
        try
        {
            connection = await factory.CreateConnectionAsync("linktracker-doctor", timeout.Token);
            channel = await connection.CreateChannelAsync(cancellationToken: timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await RabbitMqClose.QuietlyAsync(channel, connection);
            return
            [
                new DoctorProblem(Name, DoctorSeverity.Action,
                    "RabbitMQ does not answer: edges keep clicks in their journals and workers store nothing until it is back.",
                    $"{ex.GetType().Name}: {ex.Message}", RunbookSections.Dependencies),
            ];
        }

        try
        {
            var problems = new List<DoctorProblem>();
            var dead = await CountAsync(channel, queues.Dead, cancellationToken);
            if (dead > 0)
            {
                problems.Add(new DoctorProblem(Name, DoctorSeverity.Action,
                    $"{dead} click message(s) wait in the broker's dead-letter queue: their clicks are not stored.",
                    $"{queues.Dead} holds {dead} message(s). See 'linktracker clicks dead'.", RunbookSections.DeadLetters));
            }

            var depths = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var tenant in await tenants.ListTenantsAsync(cancellationToken))
            {
                channel = await ReopenIfClosedAsync(connection, channel, cancellationToken);
                depths[tenant.Slug] = await CountAsync(channel, queues.For(tenant.Slug), cancellationToken);
            }

            var ready = depths.Values.Sum();
            if (ready >= options.Value.JournalDepthWarning)
            {
                var top = string.Join(", ", depths.OrderByDescending(d => d.Value).Take(3).Select(d => $"{d.Key} {d.Value}"));
                problems.Add(new DoctorProblem(Name, DoctorSeverity.Warning,
                    $"{ready} click messages wait in the tenants' click queues: the workers do not keep up.",
                    $"ready messages by tenant: {top} (warning from {options.Value.JournalDepthWarning}).", RunbookSections.JournalDepth));
            }

            return problems;
        }
        finally
        {
            await RabbitMqClose.QuietlyAsync(channel, connection);
        }
    }

    /// <returns>Ready messages; 0 when the queue is not declared (a failed passive declare closes the channel).</returns>
    private static async Task<long> CountAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return 0;
        }
    }

    private static async Task<IChannel> ReopenIfClosedAsync(IConnection connection, IChannel channel, CancellationToken cancellationToken)
    {
        if (channel.IsOpen)
        {
            return channel;
        }

        await RabbitMqClose.QuietlyAsync(channel, null);
        return await connection.CreateChannelAsync(cancellationToken: cancellationToken);
    }
}
