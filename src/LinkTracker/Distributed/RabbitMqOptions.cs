using System.ComponentModel.DataAnnotations;

namespace LinkTracker.Distributed;

/// <summary>The broker between edges and writers; unset in the embedded deployment.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    /// <summary>An amqp:// or amqps:// URI with credentials, e.g. amqp://linktracker:secret@mq1:5672/.</summary>
    public string? Uri { get; set; }

    /// <summary>Starts every queue name, so several deployments can share a broker.</summary>
    [RegularExpression("^[a-z][a-z0-9.-]{0,30}$", ErrorMessage = "RabbitMq:QueuePrefix must be up to 31 of a-z, 0-9, . and -, starting with a letter.")]
    public string QueuePrefix { get; set; } = "lt";

    /// <summary>Unacknowledged click messages a writer holds per tenant queue (each up to Forwarder:BatchSize clicks).</summary>
    [Range(1, 1_000)]
    public ushort Prefetch { get; set; } = 16;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Uri);
}
