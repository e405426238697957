using System.Net;
using LinkTracker.Clicks.Enrichment;
using LinkTracker.IntegrationTests.Infrastructure;
using MaxMind.GeoIP2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LinkTracker.IntegrationTests.Clicks;

/// <summary>The test's own database file is a MaxMind DB that MaxMind's reader reads; without one, one warning at start.</summary>
public sealed class GeoDatabaseTests
{
    [Fact]
    public void The_written_database_is_read_by_MaxMinds_reader()
    {
        using var reader = new DatabaseReader(new MemoryStream(GeoEnrichmentTests.CityDatabase().Build(DateTimeOffset.UnixEpoch)));

        Assert.Equal("GeoIP2-City", reader.Metadata.DatabaseType);
        Assert.Equal(4, reader.Metadata.IPVersion);
        var london = reader.City("81.2.69.160");
        Assert.Equal(("GB", "United Kingdom", "London", 2643743L), (london.Country.IsoCode, london.Country.Name, london.City.Name, london.City.GeoNameId));
        Assert.Equal("FR", reader.City("2.3.255.255").Country.IsoCode);
        Assert.False(reader.TryCity("81.2.70.1", out _));
        Assert.False(reader.TryCity("198.51.100.7", out _));
    }

    [Fact]
    public async Task A_country_database_gives_countries_without_cities()
    {
        using var folder = new TempFolder();
        var path = await new MmdbWriter("GeoLite2-Country")
            .Add("81.2.69.0/24", new Dictionary<string, object> { ["country"] = new Dictionary<string, object> { ["iso_code"] = "GB" } })
            .WriteToAsync(folder.Path);
        var log = new CollectingLoggerProvider();
        using var loggers = new LoggerFactory([log]);
        using var enricher = new GeoEnricher(
            Microsoft.Extensions.Options.Options.Create(new GeoOptions { DatabasePath = path }), loggers.CreateLogger<GeoEnricher>());
        var clicks = new[] { Draft("81.2.69.1"), Draft("10.0.0.1"), Draft("2001:db8::1"), Draft(null) };

        enricher.Enrich("acme", clicks);

        Assert.Equal([("GB", null), (null, null), (null, null), (null, null)], clicks.Select(c => (c.Country, c.City)));
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Without_a_database_path_the_service_warns_once_at_start_and_clicks_get_no_geo()
    {
        var log = new CollectingLoggerProvider();
        await using (var service = await TestService.StartAsync(services => services.AddSingleton<ILoggerProvider>(log)))
        {
            using var api = service.Client("acme", await service.AddTenantAsync("acme"));
            (await api.PostJsonAsync("/api/links", new { url = "https://example.com/g", code = "g" })).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.Found, (await api.GetAsync("/g?r=ann")).StatusCode);
            await service.WaitForWriterAsync();
            var click = (await (await api.GetAsync("/api/links/g/clicks")).ReadJsonAsync())["items"]![0]!;
            Assert.Null((string?)click["country"]);
        }

        var warning = Assert.Single(log.Entries, e => e.Category == typeof(GeoEnricher).FullName);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Geo:DatabasePath is not set", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_path_naming_no_file_stops_the_start_with_a_message_saying_so()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestService.StartAsync("Geo:DatabasePath=/nonexistent/GeoIP2-City.mmdb"));
        Assert.Contains("Geo:DatabasePath names no file", error.ToString(), StringComparison.Ordinal);
    }

    private static ClickDraft Draft(string? address) =>
        new(new LinkTracker.Core.Clicks.Click(Guid.CreateVersion7(), "acme", "g", null, DateTimeOffset.UnixEpoch, "Mozilla/5.0", null, address, 0));
}
