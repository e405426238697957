namespace LinkTracker.Links;

public static class LinksExtensions
{
    public static IHostApplicationBuilder AddLinks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LinkCacheOptions>().BindConfiguration(LinkCacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LinkCache>();
        builder.Services.AddSingleton<LinkService>();
        return builder;
    }
}
