using LinkTracker.Clicks;
using LinkTracker.Runbook.Doctor;
using Microsoft.AspNetCore.Authentication;
using OpenTelemetry.Metrics;

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
