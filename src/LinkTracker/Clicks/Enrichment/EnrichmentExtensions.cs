namespace LinkTracker.Clicks.Enrichment;

public static class EnrichmentExtensions
{
    /// <summary>The writer's enrichment stage: classification, mail scanners, device, geo, then address truncation (ADR 17).</summary>
    public static IServiceCollection AddClickEnrichment(this IServiceCollection services)
    {
        services.AddOptions<EnrichmentOptions>().BindConfiguration(EnrichmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddGeo();
        services.AddSingleton<CrawlerList>();
        services.AddSingleton<UserAgentFamilies>();
        services.AddSingleton<IClickEnricher, HumanClassifier>();
        services.AddSingleton<IClickEnricher, MailScannerDetector>();
        services.AddSingleton<IClickEnricher, DeviceEnricher>();
        services.AddSingleton<IClickEnricher>(sp => sp.GetRequiredService<GeoEnricher>());
        services.AddSingleton<IClickEnricher, AddressTruncation>();
        services.AddSingleton<EnrichmentStage>();
        return services;
    }

    /// <summary>
    /// The geo database (Geo:DatabasePath), once per process: the writer enriches clicks with it and the edge evaluates
    /// country rules with it, so a node with either role reads it.
    /// </summary>
    public static IServiceCollection AddGeo(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(GeoEnricher)))
        {
            return services;
        }

        services.AddOptions<GeoOptions>().BindConfiguration(GeoOptions.Section)
            .Validate(
                o => string.IsNullOrWhiteSpace(o.DatabasePath) || File.Exists(o.DatabasePath),
                "Geo:DatabasePath names no file: give the path of a MaxMind-format .mmdb database, or leave it empty for no geo.")
            .ValidateOnStart();
        services.AddSingleton<GeoEnricher>();
        return services;
    }
}
