using LinkTracker.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LinkTracker.Tenants;

public static class TenantsExtensions
{
    public static IHostApplicationBuilder AddTenants(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TenantOptions>().BindConfiguration(TenantOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<ITenantSource, CatalogTenantSource>(); // an edge has the api nodes' (AddDistributed)
        builder.Services.AddSingleton<TenantDirectory>();
        if (builder.Roles().HoldsDatabase())
        {
            builder.Services.AddSingleton<TenantAdmin>();
        }

        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddHostedService<TenantDirectoryRefresher>();
        return builder;
    }
}
