using System.Text;
using LinkTracker.Imports;

namespace LinkTracker.Tests.Imports;

public sealed class ExportReaderTests
{
    private static async Task<List<ImportRow>> ReadAsync(ImportFormat format, string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var rows = new List<ImportRow>();
        await foreach (var row in new ExportReader(format, stream).ReadAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task Csv_reads_quoted_fields_with_commas_quotes_and_line_breaks_and_numbers_rows_by_their_first_line()
    {
        var rows = await ReadAsync(ImportFormat.Csv, "\uFEFFURL,Code,Title,Tags,Clicks,CreatedAt,Campaign\r\n"
            + "https://a.example/,a1,\"Say \"\"hi\"\", twice\",x|y,\"1,204\",2023-05-06 07:08:09,may\r\n"
            + "https://b.example/,b2,\"two\nlines\",,,,\r\n"
            + "\r\n"
            + "https://c.example/,c3,,,,,\n");

        Assert.Equal([2, 3, 6], rows.Select(r => r.Line));
        Assert.Equal("a1", rows[0].Code);
        Assert.Equal("Say \"hi\", twice", rows[0].Title);
        Assert.Equal(["x", "y"], rows[0].Tags!);
        Assert.Equal(1204, rows[0].Clicks);
        Assert.Equal("may", rows[0].Campaign);
        Assert.Equal(new DateTimeOffset(2023, 5, 6, 7, 8, 9, TimeSpan.Zero), rows[0].CreatedAt);
        Assert.Equal("two\nlines", rows[1].Title);
        Assert.All(rows, r => Assert.Null(r.Problem));
    }

    [Fact]
    public async Task Csv_rows_that_cannot_be_read_carry_their_problem_and_a_missing_column_refuses_the_file()
    {
        var rows = await ReadAsync(ImportFormat.Csv, "code,url,clicks,createdAt\nx,https://x.example/,-3,yesterday\ny,https://y.example/\n");

        Assert.Contains("'-3' is not a whole number", rows[0].Problem, StringComparison.Ordinal);
        Assert.Contains("'yesterday' is not a time", rows[0].Problem, StringComparison.Ordinal);
        Assert.Contains("2 fields where the header has 4", rows[1].Problem, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<ImportFileException>(() => ReadAsync(ImportFormat.Csv, "code,destination\nx,https://x.example/\n"));
        Assert.Contains("no 'url' column", missing.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ImportFileException>(() => ReadAsync(ImportFormat.Csv, "[]"));
    }

    [Fact]
    public async Task Yourls_table_csv_and_api_json_map_keyword_url_title_timestamp_and_clicks()
    {
        var csv = await ReadAsync(ImportFormat.Yourls, "keyword,url,title,timestamp,ip,clicks\nblog,https://blog.example/post,My post,2021-02-03 04:05:06,192.0.2.1,77\n");
        var json = await ReadAsync(ImportFormat.Yourls, """
            {"links":{"link_1":{"shorturl":"https://sho.rt/blog","url":"https://blog.example/post","title":"My post",
            "timestamp":"2021-02-03 04:05:06","ip":"192.0.2.1","clicks":"77"}},"stats":{"total_links":"1"},"statusCode":200}
            """);

        foreach (var row in (ImportRow[])[csv.Single(), json.Single()])
        {
            Assert.Equal(("blog", "https://blog.example/post", "My post", 77L), (row.Code, row.Url, row.Title, row.Clicks!.Value));
            Assert.Equal(new DateTimeOffset(2021, 2, 3, 4, 5, 6, TimeSpan.Zero), row.CreatedAt);
        }
    }

    [Fact]
    public async Task Kutt_links_json_maps_address_target_description_visits_expiry_and_refuses_password_links()
    {
        var rows = await ReadAsync(ImportFormat.Kutt, """
            {"total":2,"limit":10,"skip":0,"data":[
              {"id":"0b5f","address":"docs","target":"https://docs.example/","description":"Docs","visit_count":5,
               "created_at":"2022-01-02T03:04:05.678Z","expire_in":"2099-01-01T00:00:00Z","banned":true,"password":false},
              {"id":"9c1a","address":"secret","target":"https://secret.example/","visit_count":0,"password":true}]}
            """);

        Assert.Equal(("docs", "https://docs.example/", "Docs", 5L, true), (rows[0].Code, rows[0].Url, rows[0].Title, rows[0].Clicks!.Value, rows[0].Disabled));
        Assert.Equal(new DateTimeOffset(2022, 1, 2, 3, 4, 5, TimeSpan.Zero), rows[0].CreatedAt);
        Assert.Equal(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), rows[0].ExpiresAt);
        Assert.Contains("password-protected", rows[1].Problem, StringComparison.Ordinal);
        Assert.Equal(2, rows[1].Line);
        await Assert.ThrowsAsync<ImportFileException>(() => ReadAsync(ImportFormat.Kutt, "address,target\nx,https://x.example/\n"));
    }

    [Fact]
    public async Task Shlink_json_and_web_client_csv_map_short_code_long_url_tags_and_visits_with_bots_apart()
    {
        var json = await ReadAsync(ImportFormat.Shlink, """
            {"shortUrls":{"data":[{"shortCode":"launch","shortUrl":"https://s.example/launch","longUrl":"https://app.example/launch",
              "dateCreated":"2020-06-07T08:09:10+02:00","tags":["news","q2"],"meta":{"validSince":null,"validUntil":null,"maxVisits":null},
              "domain":null,"title":"Launch","crawlable":false,"forwardQuery":true,"visitsSummary":{"total":10,"nonBots":7,"bots":3}}],
              "pagination":{"currentPage":1,"pagesCount":1}}}
            """);
        var csv = await ReadAsync(ImportFormat.Shlink,
            "createdAt,domain,shortCode,shortUrl,longUrl,title,tags,visits\n2020-06-07T08:09:10+02:00,,launch,https://s.example/launch,https://app.example/launch,Launch,\"news,q2\",10\n");

        var fromJson = json.Single();
        Assert.Equal(("launch", "https://app.example/launch", "Launch", 10L, 7L), (fromJson.Code, fromJson.Url, fromJson.Title, fromJson.Clicks!.Value, fromJson.HumanClicks!.Value));
        Assert.Equal(new DateTimeOffset(2020, 6, 7, 6, 9, 10, TimeSpan.Zero), fromJson.CreatedAt);
        Assert.Equal(["news", "q2"], fromJson.Tags!);
        var fromCsv = csv.Single();
        Assert.Equal(("launch", "https://app.example/launch", 10L, 10L), (fromCsv.Code, fromCsv.Url, fromCsv.Clicks!.Value, fromCsv.HumanClicks!.Value));
        Assert.Equal(["news", "q2"], fromCsv.Tags!);
    }
}
