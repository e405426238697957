namespace LinkTracker.IntegrationTests.Imports;

/// <summary>Small exports written for these tests, shaped like each system's (made-up links, no real data).</summary>
internal static class ImportSamples
{
    /// <summary>LinkTracker CSV: 3 good rows (one repeated), then each kind of bad row; line numbers are in the comments of the tests.</summary>
    public const string Csv = """
        code,url,campaign,tags,createdAt,title,clicks
        spring,https://shop.example.com/spring,sale,email|promo,2024-03-01T10:20:30Z,Spring sale,12
        summer,https://shop.example.com/summer,sale,,2024-06-01 09:00:00,"Summer, at last",30
        fall,https://shop.example.com/fäll,,,,,
        spring,https://shop.example.com/spring,,,,,
        spring,https://elsewhere.example.com/,,,,,
        badurl,ftp://files.example.com/,,,,,
        ,https://shop.example.com/nocode,,,,,
        bad code,https://shop.example.com/x,,,,,
        api,https://shop.example.com/reserved,,,,,
        count,https://shop.example.com/count,,,,,lots
        """;

    public const string YourlsCsv = """
        keyword,url,title,timestamp,ip,clicks
        ozh,https://blog.example.org/about,About me,2019-04-05 06:07:08,198.51.100.7,41
        yt,https://video.example.org/watch?v=abc,A video,2020-01-02 03:04:05,198.51.100.8,0
        """;

    public const string YourlsJson = """
        {"links":{"link_1":{"shorturl":"https://y.example/ozh","url":"https://blog.example.org/about","title":"About me",
        "timestamp":"2019-04-05 06:07:08","ip":"198.51.100.7","clicks":"41"},
        "link_2":{"shorturl":"https://y.example/yt","url":"https://video.example.org/watch?v=abc","title":"A video",
        "timestamp":"2020-01-02 03:04:05","ip":"198.51.100.8","clicks":"0"}},
        "stats":{"total_links":"2","total_clicks":"41"},"statusCode":200,"message":"success"}
        """;

    public const string KuttJson = """
        {"total":3,"limit":50,"skip":0,"data":[
          {"id":"5c3e2f","address":"ozh","target":"https://blog.example.org/about","description":"About me","banned":false,
           "password":false,"visit_count":41,"created_at":"2019-04-05T06:07:08.000Z","updated_at":"2019-04-05T06:07:08.000Z","link":"https://k.example/ozh"},
          {"id":"7a1b9d","address":"yt","target":"https://video.example.org/watch?v=abc","description":null,"banned":false,
           "password":false,"visit_count":0,"created_at":"2020-01-02T03:04:05.000Z","updated_at":"2020-01-02T03:04:05.000Z","link":"https://k.example/yt"},
          {"id":"9f0c11","address":"locked","target":"https://private.example.org/","description":"Locked","banned":false,
           "password":true,"visit_count":3,"created_at":"2020-01-02T03:04:05.000Z","updated_at":"2020-01-02T03:04:05.000Z","link":"https://k.example/locked"}]}
        """;

    public const string ShlinkJson = """
        {"shortUrls":{"data":[
          {"shortCode":"ozh","shortUrl":"https://s.example/ozh","longUrl":"https://blog.example.org/about","dateCreated":"2019-04-05T08:07:08+02:00",
           "tags":["blog"],"meta":{"validSince":null,"validUntil":null,"maxVisits":null},"domain":null,"title":"About me","crawlable":false,
           "forwardQuery":true,"visitsSummary":{"total":41,"nonBots":40,"bots":1},"hasRedirectRules":false},
          {"shortCode":"yt","shortUrl":"https://s.example/yt","longUrl":"https://video.example.org/watch?v=abc","dateCreated":"2020-01-02T03:04:05+00:00",
           "tags":[],"meta":{"validSince":null,"validUntil":null,"maxVisits":null},"domain":null,"title":null,"crawlable":false,
           "forwardQuery":true,"visitsSummary":{"total":0,"nonBots":0,"bots":0},"hasRedirectRules":false}],
          "pagination":{"currentPage":1,"pagesCount":1,"itemsPerPage":10,"itemsInCurrentPage":2,"totalItems":2}}}
        """;
}
