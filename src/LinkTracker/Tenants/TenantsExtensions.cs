namespace LinkTracker.Tenants;

public static class TenantsExtensions
{
    public static IHostApplicationBuilder AddTenants(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TenantOptions>().BindConfiguration(TenantOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TenantDirectory>();
        builder.Services.AddSingleton<TenantAdmin>();
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddHostedService<TenantDirectoryRefresher>();
        return builder;
    }
}
