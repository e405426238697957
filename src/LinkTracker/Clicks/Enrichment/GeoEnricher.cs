using System.Net;
using System.Net.Sockets;
using MaxMind.Db;
using MaxMind.GeoIP2;
using Microsoft.Extensions.Options;

namespace LinkTracker.Clicks.Enrichment;

/// <summary>
/// Country (ISO code) and city from the client's full address, looked up in the operator's MaxMind-format database
/// (Geo:DatabasePath, read into memory at start). Without one it does nothing and says so once.
/// </summary>
public sealed partial class GeoEnricher : IClickEnricher, IDisposable
{
    private readonly DatabaseReader? _reader;
    private readonly bool _hasCities;

    public GeoEnricher(IOptions<GeoOptions> options, ILogger<GeoEnricher> logger)
    {
        var path = options.Value.DatabasePath;
        if (string.IsNullOrWhiteSpace(path))
        {
            LogNoDatabase(logger);
            return;
        }

        _reader = new DatabaseReader(path, FileAccessMode.Memory);
        _hasCities = _reader.Metadata.DatabaseType.Contains("City", StringComparison.OrdinalIgnoreCase);
        LogDatabase(logger, path, _reader.Metadata.DatabaseType, _reader.Metadata.BuildDate);
    }

    public int Order => 400;

    /// <summary>The ISO country code of <paramref name="address"/>, or null (no database, or no answer for it): for redirect rules.</summary>
    public string? CountryOf(IPAddress address)
    {
        if (_reader is null || (_reader.Metadata.IPVersion == 4 && address.AddressFamily != AddressFamily.InterNetwork))
        {
            return null;
        }

        return _hasCities
            ? _reader.TryCity(address, out var city) ? city!.Country.IsoCode : null
            : _reader.TryCountry(address, out var country) ? country!.Country.IsoCode : null;
    }

    public void Enrich(string tenant, IReadOnlyList<ClickDraft> clicks)
    {
        if (_reader is null)
        {
            return;
        }

        foreach (var click in clicks)
        {
            // An IPv4-only database has no answer for an IPv6 address (and its reader throws on one).
            if (click.Address is not { } address || (_reader.Metadata.IPVersion == 4 && address.AddressFamily != AddressFamily.InterNetwork))
            {
                continue;
            }

            if (_hasCities)
            {
                if (_reader.TryCity(address, out var city))
                {
                    click.Country = city!.Country.IsoCode;
                    click.City = city.City.Name;
                }
            }
            else if (_reader.TryCountry(address, out var country))
            {
                click.Country = country!.Country.IsoCode;
            }
        }
    }

    public void Dispose() => _reader?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Geo:DatabasePath is not set: clicks get no country or city, and redirect rules by country never match. Set it to a MaxMind-format .mmdb file (see docs/deploy.md)")]
    private static partial void LogNoDatabase(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Geo database {Path} ({Type}, built {BuildDate:yyyy-MM-dd}) loaded")]
    private static partial void LogDatabase(ILogger logger, string path, string type, DateTime buildDate);
}
