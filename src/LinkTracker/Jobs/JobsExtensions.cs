using LinkTracker.Core.Jobs;
using LinkTracker.Distributed;
using LinkTracker.RabbitMq.Jobs;
using LinkTracker.Sqlite;
using Microsoft.Extensions.Options;

namespace LinkTracker.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// The job queue — embedded by default, RabbitMQ once RabbitMq:Uri is set — its worker and scheduler (worker role),
    /// and the handler of each job type. An edge alone runs no jobs.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (!builder.Roles().HoldsDatabase())
        {
            return builder;
        }

        services.AddOptions<JobQueueOptions>().BindConfiguration(JobQueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (builder.UsesBroker())
        {
            services.AddSingleton<IJobQueue>(sp => new RabbitMqJobQueue(
                new Uri(sp.GetRequiredService<IOptions<RabbitMqOptions>>().Value.Uri!),
                sp.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QueuePrefix + ".jobs",
                sp.GetRequiredService<IOptions<JobQueueOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<RabbitMqJobQueue>>()));
        }
        else
        {
            services.AddSingleton<IJobQueue>(sp => new SqliteJobQueue(
                sp.GetRequiredService<SqliteDatabases>(), sp.GetRequiredService<IOptions<JobQueueOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton<JobMetrics>();
        services.AddJobHandler<RetentionJobHandler>(RetentionJob.Type);
        services.AddHostedService<JobsStartup>();
        services.AddSingleton<JobScheduler>();
        services.AddSingleton<HourlyJobScheduler>();
        if (builder.Roles().Has(NodeRoles.Worker))
        {
            services.AddHostedService<JobWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
            services.AddHostedService(sp => sp.GetRequiredService<HourlyJobScheduler>());
        }

        return builder;
    }

    /// <summary>Registers the handler of one job type; the worker creates it in a scope per job.</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string type)
        where THandler : class, IJobHandler =>
        services.AddKeyedScoped<IJobHandler, THandler>(type);
}
