using LinkTracker.Core.Jobs;
using LinkTracker.Distributed;
using LinkTracker.Sqlite;
using Microsoft.Extensions.Options;

namespace LinkTracker.Jobs;

public static class JobsExtensions
{
    /// <summary>The job queue (embedded by default), its worker and scheduler, and the handler of each job type.</summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobQueueOptions>().BindConfiguration(JobQueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new SqliteJobQueue(
            sp.GetRequiredService<SqliteDatabases>(), sp.GetRequiredService<IOptions<JobQueueOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<SqliteJobQueue>());
        services.AddSingleton<JobMetrics>();
        services.AddJobHandler<RetentionJobHandler>(RetentionJob.Type);
        services.AddHostedService<JobsStartup>();
        services.AddSingleton<JobScheduler>();
        if (builder.Roles().Has(NodeRoles.Worker))
        {
            services.AddHostedService<JobWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
        }

        return builder;
    }

    /// <summary>Registers the handler of one job type; the worker creates it in a scope per job.</summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string type)
        where THandler : class, IJobHandler =>
        services.AddKeyedScoped<IJobHandler, THandler>(type);
}
