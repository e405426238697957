using LinkTracker.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace LinkTracker.Tests.Distributed;

public class NodeConfigurationTests
{
    private const string Token = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void Without_configuration_a_process_has_every_role()
    {
        Assert.Equal(NodeRoles.All, Roles());
    }

    [Theory]
    [InlineData("edge", NodeRoles.Edge)]
    [InlineData("api,worker", NodeRoles.Api | NodeRoles.Worker)]
    [InlineData("Worker", NodeRoles.Worker)]
    public void Roles_are_read_from_Node_Roles(string text, NodeRoles expected)
    {
        Assert.Equal(expected, Roles(
            ("Node:Roles", text), ("RabbitMq:Uri", "amqp://mq:5672/"), ("Internal:ApiUrls", "http://api:5001"), ("Internal:Token", Token), ("Redis:Configuration", "redis:6379")));
    }

    [Fact]
    public void An_edge_alone_must_be_told_the_broker_the_api_nodes_and_redis_and_must_hold_no_database_credentials()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Roles(("Node:Roles", "edge"), ("Storage:Postgres", "Host=db;Username=app;Password=x")));

        Assert.Contains("set RabbitMq:Uri", error.Message, StringComparison.Ordinal);
        Assert.Contains("set Internal:ApiUrls", error.Message, StringComparison.Ordinal);
        Assert.Contains("set Redis:Configuration", error.Message, StringComparison.Ordinal);
        Assert.Contains("remove Storage:Postgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_alone_needs_the_broker_and_bad_values_are_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Roles(("Node:Roles", "worker,cook"), ("Internal:Token", "short")));

        Assert.Contains("'cook'", error.Message, StringComparison.Ordinal);
        Assert.Contains("A worker node without the edge role takes clicks from RabbitMQ: set RabbitMq:Uri.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Internal:Token is 5 characters long", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broker_uri_must_be_amqp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Roles(("RabbitMq:Uri", "http://mq:15672/")));

        Assert.Contains("not an amqp:// or amqps:// URI", error.Message, StringComparison.Ordinal);
    }

    private static NodeRoles Roles(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        return builder.Roles();
    }
}
