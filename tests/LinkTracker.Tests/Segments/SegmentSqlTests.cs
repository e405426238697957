using LinkTracker.Core.Clicks;
using LinkTracker.Core.Segments;

namespace LinkTracker.Tests.Segments;

public sealed class SegmentSqlTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_predicate_reads_its_window_by_id_and_its_values_are_parameters_never_text()
    {
        var query = SegmentSql.Compile(new ClickedFilter(new ClickConditions(Campaign: "x' OR 1=1 --", Within: TimeSpan.FromDays(7))), SegmentDialect.Sqlite, AsOf);

        Assert.Equal(
            "SELECT DISTINCT recipient FROM (SELECT recipient FROM clicks WHERE recipient IS NOT NULL AND id >= @p0 "
            + "AND code IN (SELECT code FROM links WHERE campaign = @p1 UNION ALL SELECT code FROM signed_links WHERE campaign = @p1)) AS segment",
            query.Sql);
        Assert.True(query.ReadsSignedLinks); // a campaign is also a signed link's (ADR 26)
        Assert.Equal(ClickIdBounds.SmallestAt(AsOf.AddDays(-7)).ToByteArray(bigEndian: true), query.Parameters["@p0"]);
        Assert.Equal("x' OR 1=1 --", query.Parameters["@p1"]);
        Assert.Equal([new SegmentScan(AsOf.AddDays(-7), null, null)], query.Scans);
        Assert.Equal("clicked", query.Shape);
    }

    [Fact]
    public void Postgres_gets_uuid_bounds_and_array_tags()
    {
        var query = SegmentSql.Compile(
            new ClicksFilter(3, new ClickConditions(Tag: "newsletter", Human: true, From: AsOf.AddDays(-1), To: AsOf)), SegmentDialect.Postgres, AsOf);

        Assert.Contains("id >= @p0 AND id < @p1 AND code IN (SELECT code FROM links WHERE tags @> ARRAY[@p2]::text[]) AND flags & @p3 = 0 "
            + "GROUP BY recipient HAVING count(*) >= @p4", query.Sql, StringComparison.Ordinal);
        Assert.Equal(ClickIdBounds.SmallestAt(AsOf), query.Parameters["@p1"]);
        Assert.Equal((int)ClickFlags.NonHuman, query.Parameters["@p3"]);
        Assert.Equal(3, query.Parameters["@p4"]);
        Assert.False(query.ReadsSignedLinks); // tags are stored links' only
    }

    [Fact]
    public void All_intersects_its_positive_members_and_removes_the_negated_ones_without_reading_every_recipient()
    {
        var filter = new AllFilter([
            new ClickedFilter(new ClickConditions(Link: "a")),
            new ClickedFilter(new ClickConditions(Link: "b")),
            new NotFilter(new ClickedFilter(new ClickConditions(Link: "c"))),
        ]);

        var query = SegmentSql.Compile(filter, SegmentDialect.Sqlite, AsOf);

        Assert.Equal(
            "SELECT recipient FROM (SELECT recipient FROM (SELECT recipient FROM clicks WHERE recipient IS NOT NULL AND code = @p0) AS s0 "
            + "INTERSECT SELECT recipient FROM (SELECT recipient FROM clicks WHERE recipient IS NOT NULL AND code = @p1) AS s1) AS s2 "
            + "EXCEPT SELECT recipient FROM (SELECT recipient FROM clicks WHERE recipient IS NOT NULL AND code = @p2) AS s3",
            query.Sql);
        Assert.DoesNotContain(new SegmentScan(null, null, null), query.Scans);
        Assert.Equal("all(clicked,clicked,not(clicked))", query.Shape);
    }

    [Fact]
    public void A_negation_inside_any_reads_every_recipient_and_a_referrer_host_matches_both_schemes()
    {
        var query = SegmentSql.Compile(
            new AnyFilter([new NotFilter(new ClickedFilter(new ClickConditions(ReferrerHost: "news.example.com"))), new ClickedFilter(new ClickConditions())]),
            SegmentDialect.Postgres, AsOf);

        Assert.Contains(" UNION ", query.Sql, StringComparison.Ordinal);
        Assert.Contains(" EXCEPT ", query.Sql, StringComparison.Ordinal);
        Assert.Equal(3, query.Scans.Count); // every recipient, then the two predicates, none with a window
        Assert.All(query.Scans, s => Assert.Equal(new SegmentScan(null, null, null), s));
        Assert.Equal(["http://news.example.com", "http://news.example.com/%", "http://news.example.com:%", "http://news.example.com?%",
            "https://news.example.com", "https://news.example.com/%", "https://news.example.com:%", "https://news.example.com?%"],
            query.Parameters.Values.OfType<string>());
    }

    [Theory]
    [InlineData(SegmentDialect.Sqlite)]
    [InlineData(SegmentDialect.Postgres)]
    public void Enrichment_conditions_are_lists_of_parameters_and_do_not_narrow_what_is_read(SegmentDialect dialect)
    {
        var conditions = new ClickConditions(Within: TimeSpan.FromDays(7))
        {
            Country = ["AT", "DE"],
            Device = ["mobile"],
            Browser = ["chrome"],
            Os = ["ios"],
            Reason = ["crawler", "head"],
        };

        var query = SegmentSql.Compile(new ClickedFilter(conditions), dialect, AsOf);

        Assert.Contains("id >= @p0 AND country IN (@p1, @p2) AND device IN (@p3) AND lower(browser) IN (@p4) AND lower(os) IN (@p5) "
            + "AND reason IN (@p6, @p7))", query.Sql, StringComparison.Ordinal);
        Assert.Equal(["AT", "DE", "mobile", "chrome", "ios", "crawler", "head"], query.Parameters.Values.Skip(1));
        var reads = Assert.IsType<SegmentQuery>(query.Reads);
        Assert.Equal("SELECT DISTINCT recipient FROM (SELECT recipient FROM clicks WHERE recipient IS NOT NULL AND id >= @p0) AS segment", reads.Sql);
        Assert.Equal(query.Scans, reads.Scans);
    }

    [Theory]
    [InlineData(SegmentDialect.Sqlite)]
    [InlineData(SegmentDialect.Postgres)]
    public void A_query_whose_top_node_yields_each_recipient_once_gets_no_second_distinct(SegmentDialect dialect)
    {
        var clicks = new ClicksFilter(3, new ClickConditions(Within: TimeSpan.FromDays(30)));
        var clicked = new ClickedFilter(new ClickConditions(Link: "a"));

        var grouped = SegmentSql.Compile(clicks, dialect, AsOf);
        var oneMember = SegmentSql.Compile(new AnyFilter([clicked]), dialect, AsOf);
        var union = SegmentSql.Compile(new AnyFilter([clicked, clicks]), dialect, AsOf);
        var negated = SegmentSql.Compile(new AllFilter([new NotFilter(clicked)]), dialect, AsOf);

        Assert.Equal("SELECT recipient FROM clicks WHERE recipient IS NOT NULL AND id >= @p0 GROUP BY recipient HAVING count(*) >= @p1", grouped.Sql);
        // The reads-only query has no GROUP BY, so it keeps its DISTINCT; only its scans are estimated.
        Assert.Equal("SELECT DISTINCT recipient FROM (SELECT recipient FROM clicks WHERE recipient IS NOT NULL AND id >= @p0) AS segment",
            Assert.IsType<SegmentQuery>(grouped.Reads).Sql);
        Assert.StartsWith("SELECT DISTINCT recipient FROM (", oneMember.Sql, StringComparison.Ordinal); // one clicked: a row per click
        Assert.StartsWith("SELECT recipient FROM (", union.Sql, StringComparison.Ordinal);
        Assert.Contains(" UNION ", union.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("DISTINCT", union.Sql, StringComparison.Ordinal);
        Assert.Contains(" EXCEPT ", negated.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("DISTINCT", negated.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_an_at_least_n_clicks_query_with_a_window_and_human_conditions_groups_in_recipient_order()
    {
        static bool Groups(SegmentFilter filter) => SegmentSql.Compile(filter, SegmentDialect.Postgres, AsOf).GroupsInRecipientOrder;
        var window = new ClickConditions(Human: true, Within: TimeSpan.FromDays(30));

        Assert.True(Groups(new ClicksFilter(3, window)));
        Assert.True(Groups(new ClicksFilter(2, new ClickConditions(From: AsOf.AddDays(-3), To: AsOf))));
        Assert.True(Groups(new ClicksFilter(1, new ClickConditions())));
        Assert.False(Groups(new ClicksFilter(3, window with { Link = "a" })));
        Assert.False(Groups(new ClicksFilter(3, window with { Campaign = "spring" })));
        Assert.False(Groups(new ClicksFilter(3, window with { Tag = "news" })));
        Assert.False(Groups(new ClicksFilter(3, window with { ReferrerHost = "news.example.com" })));
        Assert.False(Groups(new ClicksFilter(3, window with { Country = ["DE"] })));
        Assert.False(Groups(new ClicksFilter(3, window with { Reason = ["crawler"] })));
        Assert.False(Groups(new ClickedFilter(window)));
        Assert.False(Groups(new AllFilter([new ClicksFilter(3, window)]))); // only a bare node: set operations above it hash too
        Assert.False(Groups(new NotFilter(new ClicksFilter(3, window))));
    }

    [Fact]
    public void On_sqlite_a_query_that_groups_in_recipient_order_also_comes_with_the_term_its_index_is_partial_on()
    {
        var clicks = new ClicksFilter(3, new ClickConditions(Human: true, Within: TimeSpan.FromDays(30)));

        var sqlite = SegmentSql.Compile(clicks, SegmentDialect.Sqlite, AsOf);
        var postgres = SegmentSql.Compile(clicks, SegmentDialect.Postgres, AsOf);
        var clicked = SegmentSql.Compile(new ClickedFilter(new ClickConditions(Within: TimeSpan.FromDays(30))), SegmentDialect.Sqlite, AsOf);

        Assert.Equal(
            "SELECT recipient FROM clicks WHERE recipient IS NOT NULL AND id >= @p0 AND flags & @p1 = 0 AND recipient >= '' GROUP BY recipient HAVING count(*) >= @p2",
            sqlite.SqliteRecipientIndexSql);
        Assert.DoesNotContain(SegmentSql.SqliteRecipientIndexTerm, sqlite.Sql, StringComparison.Ordinal); // the same parameters, without the term
        Assert.Equal(sqlite.Sql, sqlite.SqliteRecipientIndexSql!.Replace(" AND " + SegmentSql.SqliteRecipientIndexTerm, "", StringComparison.Ordinal));
        Assert.Null(postgres.SqliteRecipientIndexSql); // PostgreSQL's planner chooses with its statistics
        Assert.Null(clicked.SqliteRecipientIndexSql);
    }
}
