namespace LinkTracker.Imports;

/// <summary>The exports `linktracker import` reads (docs/import.md maps their columns).</summary>
public enum ImportFormat
{
    /// <summary>LinkTracker's own CSV: code,url[,campaign,tags,createdAt,title,clicks] with a header row.</summary>
    Csv,

    /// <summary>YOURLS: its yourls_url table as CSV (keyword,url,title,timestamp,ip,clicks), or the API's stats JSON.</summary>
    Yourls,

    /// <summary>Kutt: the links API's JSON (data[] of address, target, description, visit_count, created_at, ...).</summary>
    Kutt,

    /// <summary>Shlink: the short URLs API's JSON (shortCode, longUrl, dateCreated, visitsSummary, tags, title), or the web client's CSV.</summary>
    Shlink,
}
