using System.Text.Json;
using LinkTracker.Clicks;
using LinkTracker.Core.Runbook;
using LinkTracker.Runbook.Slow;

namespace LinkTracker.Runbook;

/// <summary>
/// On the distributed deployment, once a second tells the other nodes this node's new slow operations and tenant
/// activity, and counts theirs into its own <see cref="SlowLog"/> and <see cref="TenantActivity"/>: the doctor, /ops/slow
/// and the insights on an api node then see the writer's time (workers) and unknown codes (edges) too.
/// </summary>
public sealed partial class RunbookFleet(
    IRunbookFeed feed, SlowLog slowLog, TenantActivity activity, NodeIdentity node, TimeProvider time, ILogger<RunbookFleet> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this node hears the others (messages sent before that are not heard: at most once).</summary>
    public Task Subscribed => _subscribed.Task;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        slowLog.ShareWithFleet();
        activity.ShareWithFleet();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscribed = false;
        var failing = false;
        while (true)
        {
            if (!subscribed)
            {
                try
                {
                    await feed.SubscribeAsync(Receive, stoppingToken);
                    subscribed = true;
                    _subscribed.TrySetResult();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (!failing)
                    {
                        LogSubscribeFailed(logger, ex);
                    }

                    failing = true;
                }
            }

            Send();
            try
            {
                await Task.Delay(Every, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                Send();
                return;
            }
        }
    }

    /// <summary>This node's evidence since the last send, as one message (nothing when there is nothing).</summary>
    public void Send()
    {
        var slow = slowLog.TakeUnsent();
        var added = activity.TakeUnsent();
        if (slow.Count > 0 || added.Count > 0)
        {
            feed.Publish(JsonSerializer.Serialize(new RunbookFleetMessage(node.Id, slow, added), Json));
        }
    }

    /// <summary>Another node's message: counted here. This node's own, and anything unreadable, is left out.</summary>
    public void Receive(string message)
    {
        RunbookFleetMessage? received;
        try
        {
            received = JsonSerializer.Deserialize<RunbookFleetMessage>(message, Json);
        }
        catch (JsonException)
        {
            return; // a node of another version, or not ours: evidence is best effort
        }

        if (received is null || received.Node == node.Id)
        {
            return;
        }

        foreach (var operation in received.Slow ?? [])
        {
            if (operation?.Tenant is not null && Enum.IsDefined(operation.Kind))
            {
                slowLog.Receive(operation);
            }
        }

        foreach (var delta in received.Activity ?? [])
        {
            if (delta?.Tenant is not null && Enum.IsDefined(delta.Kind))
            {
                activity.Receive(delta.Tenant, delta.Kind, delta.Amount);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to the other nodes' runbook evidence in Redis; the doctor and /ops/slow show this node's own until it works")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);
}
