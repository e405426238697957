using LinkTracker.Storage;

namespace LinkTracker.Distributed;

/// <summary>
/// Reads the process's roles and checks, before anything is composed, that the configuration gives each role what it
/// needs and gives an edge no database credentials. Every problem is reported at once, as an operator would fix it.
/// </summary>
public static class NodeConfiguration
{
    private static readonly object Key = new();

    /// <summary>The roles of the process being built; read and validated once.</summary>
    /// <exception cref="InvalidOperationException">The configuration does not fit the roles; the message says what to set.</exception>
    public static NodeRoles Roles(this IHostApplicationBuilder builder)
    {
        if (builder.Properties.TryGetValue(Key, out var known))
        {
            return (NodeRoles)known;
        }

        var roles = Validate(builder.Configuration);
        builder.Properties[Key] = roles;
        return roles;
    }

    public static bool Has(this NodeRoles roles, NodeRoles role) => (roles & role) == role;

    /// <summary>Whether this process reads the tenants' databases itself (an edge alone does not).</summary>
    public static bool HoldsDatabase(this NodeRoles roles) => (roles & (NodeRoles.Api | NodeRoles.Worker)) != 0;

    /// <summary>Whether clicks travel through RabbitMQ (always, once RabbitMq:Uri is set).</summary>
    public static bool UsesBroker(this IHostApplicationBuilder builder) =>
        !string.IsNullOrWhiteSpace(builder.Configuration[$"{RabbitMqOptions.Section}:{nameof(RabbitMqOptions.Uri)}"]);

    private static NodeRoles Validate(IConfiguration configuration)
    {
        var problems = new List<string>();
        var text = configuration[$"{NodeOptions.Section}:{nameof(NodeOptions.Roles)}"] ?? "all";
        var roles = Parse(text, problems);
        var broker = configuration[$"{RabbitMqOptions.Section}:{nameof(RabbitMqOptions.Uri)}"];
        var token = configuration[$"{InternalOptions.Section}:{nameof(InternalOptions.Token)}"];

        if (!string.IsNullOrWhiteSpace(broker) && !(System.Uri.TryCreate(broker, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps"))
        {
            problems.Add($"RabbitMq:Uri '{broker}' is not an amqp:// or amqps:// URI (e.g. amqp://user:password@mq1:5672/).");
        }

        if (string.IsNullOrWhiteSpace(broker) && roles.Has(NodeRoles.Edge) != roles.Has(NodeRoles.Worker))
        {
            problems.Add(roles.Has(NodeRoles.Edge)
                ? "An edge node without the worker role forwards its clicks to RabbitMQ: set RabbitMq:Uri."
                : "A worker node without the edge role takes clicks from RabbitMQ: set RabbitMq:Uri.");
        }

        if (!string.IsNullOrEmpty(token) && token.Length < 32)
        {
            problems.Add($"Internal:Token is {token.Length} characters long; use at least 32 random characters (e.g. openssl rand -hex 32).");
        }

        if (roles.Has(NodeRoles.Edge) && !roles.HoldsDatabase())
        {
            ValidateEdge(configuration, token, problems);
        }

        return problems.Count == 0
            ? roles
            : throw new InvalidOperationException($"The configuration does not fit the roles '{text}':\n  - {string.Join("\n  - ", problems)}");
    }

    private static void ValidateEdge(IConfiguration configuration, string? token, List<string> problems)
    {
        var apiUrls = configuration[$"{InternalOptions.Section}:{nameof(InternalOptions.ApiUrls)}"];
        if (string.IsNullOrWhiteSpace(apiUrls) || string.IsNullOrWhiteSpace(token))
        {
            problems.Add("An edge node asks the api nodes for links it has not cached: set Internal:ApiUrls (e.g. http://10.0.0.11:5001) and Internal:Token (the api nodes' token).");
        }
        else if (apiUrls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                     .FirstOrDefault(u => !(System.Uri.TryCreate(u, UriKind.Absolute, out var api) && api.Scheme is "http" or "https")) is { } bad)
        {
            problems.Add($"Internal:ApiUrls has '{bad}', which is not an http:// or https:// URL.");
        }

        if (string.IsNullOrWhiteSpace(configuration["Redis:Configuration"]))
        {
            problems.Add("An edge node learns of link changes through Redis: set Redis:Configuration (the api nodes' Redis).");
        }

        foreach (var secret in new[] { nameof(StorageOptions.Postgres), nameof(StorageOptions.PostgresOwner) })
        {
            if (!string.IsNullOrWhiteSpace(configuration[$"{StorageOptions.Section}:{secret}"]))
            {
                problems.Add($"Edge nodes hold no database credentials: remove Storage:{secret} from this node's configuration.");
            }
        }
    }

    private static NodeRoles Parse(string text, List<string> problems)
    {
        var roles = NodeRoles.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<NodeRoles>(part, ignoreCase: true, out var role) && role != NodeRoles.None && Enum.IsDefined(role))
            {
                roles |= role;
            }
            else
            {
                problems.Add($"Node:Roles has '{part}'; the roles are edge, api, worker and all.");
            }
        }

        if (roles == NodeRoles.None && problems.Count == 0)
        {
            problems.Add("Node:Roles is empty; give one or more of edge, api, worker, or all.");
        }

        return roles;
    }
}
