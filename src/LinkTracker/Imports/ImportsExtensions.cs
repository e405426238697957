namespace LinkTracker.Imports;

public static class ImportsExtensions
{
    /// <summary>`linktracker import`: links from other link trackers' exports, through the links' own creation path.</summary>
    public static IHostApplicationBuilder AddImports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LinkImporter>();
        return builder;
    }
}
