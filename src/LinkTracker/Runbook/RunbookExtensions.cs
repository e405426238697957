using LinkTracker.Clicks;
using LinkTracker.Core.Runbook;
using LinkTracker.Distributed;
using LinkTracker.Redis;
using LinkTracker.Runbook.Doctor;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using StackExchange.Redis;

namespace LinkTracker.Runbook;

public static class RunbookExtensions
{
    /// <summary>Health checks, OpenTelemetry metrics with a Prometheus endpoint, the operator credential, the start-up hint, the slow log and the doctor.</summary>
    public static IHostApplicationBuilder AddRunbook(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OpsOptions>().BindConfiguration(OpsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<OpsCredential>();
        builder.Services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, OpsAuthenticationHandler>(OpsAuthentication.Scheme, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(OpsAuthentication.Policy, policy => policy
            .AddAuthenticationSchemes(OpsAuthentication.Scheme)
            .RequireAuthenticatedUser());
        builder.Services.AddHealthChecks()
            .AddCheck<CatalogHealthCheck>("catalog", tags: ["ready"])
            .AddCheck<JournalHealthCheck>("journal", tags: ["ready"]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ClickMetrics.MeterName)
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        builder.Services.AddHostedService<FirstRunHint>();
        builder.Services.AddDoctor();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Redis:Configuration"]) && builder.UsesBroker())
        {
            // Distributed: the doctor's evidence is spread over edges, api nodes and workers; it meets through Redis.
            builder.Services.AddSingleton<IRunbookFeed>(sp => new RedisRunbookFeed(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueuePrefix));
            builder.Services.AddHostedService<RunbookFleet>();
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapRunbook(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/metrics").RequireHost(OpsApi.OperatorHosts(app)).RequireAuthorization(OpsAuthentication.Policy);
        app.MapOpsApi();
        return app;
    }
}
