using System.Globalization;
using System.Text;
using LinkTracker.Core.Clicks;

namespace LinkTracker.Core.Segments;

/// <summary>
/// Compiles a filter tree to one parameterised SELECT of distinct recipients, for either engine, in set algebra:
/// a predicate is the recipients of the clicks it matches, all is INTERSECT, any is UNION, not is EXCEPT from every
/// recipient with a click. Each predicate reads the clicks of its time window by primary key (a click id is a UUIDv7,
/// so a time range is an id range) and of its link by clicks_code_id; campaigns through links and signed_links, tags through links.
/// </summary>
public sealed class SegmentSql
{
    private const string Universe = "SELECT recipient FROM clicks WHERE recipient IS NOT NULL";
    private static readonly string[] Schemes = ["http://", "https://"];
    private static readonly string[] AfterHost = ["/", ":", "?"];

    private readonly SegmentDialect _dialect;
    private readonly DateTimeOffset _asOf;
    private readonly bool _readsOnly;
    private readonly bool _recipientIndexTerm;
    private readonly Dictionary<string, object> _parameters = new(StringComparer.Ordinal);
    private readonly List<SegmentScan> _scans = [];
    private int _aliases;
    private bool _readsSignedLinks;

    private SegmentSql(SegmentDialect dialect, DateTimeOffset asOf, bool readsOnly, bool recipientIndexTerm = false)
    {
        _dialect = dialect;
        _asOf = asOf;
        _readsOnly = readsOnly;
        _recipientIndexTerm = recipientIndexTerm;
    }

    /// <summary>
    /// The term that SQLite's recipient index is partial on (ADR 31): only SQL that states it may read that index. SQLite
    /// plans without statistics and would read the whole index for any segment whose DISTINCT it saves a sort, also
    /// where the window's rows by id are far fewer; so the store decides when the index pays and asks for it by this term.
    /// </summary>
    public const string SqliteRecipientIndexTerm = "recipient >= ''";

    /// <summary>The filter as one SELECT of distinct recipients; "within" windows start that long before <paramref name="asOf"/>.</summary>
    public static SegmentQuery Compile(SegmentFilter filter, SegmentDialect dialect, DateTimeOffset asOf)
    {
        var compiler = new SegmentSql(dialect, asOf, readsOnly: false);
        var sql = compiler.Distinct(filter, compiler.Node(filter));
        var reads = new SegmentSql(dialect, asOf, readsOnly: true);
        var readSql = reads.Distinct(filter, reads.Node(filter));
        var groups = filter is ClicksFilter { Conditions: var conditions } && InRecipientIndex(conditions);
        string? indexed = null;
        if (groups && dialect == SegmentDialect.Sqlite)
        {
            var variant = new SegmentSql(dialect, asOf, readsOnly: false, recipientIndexTerm: true);
            indexed = variant.Distinct(filter, variant.Node(filter));
        }

        return new SegmentQuery(sql, compiler._parameters, compiler._scans, Shape(filter))
        {
            Reads = new SegmentQuery(readSql, reads._parameters, reads._scans, Shape(filter)) { ReadsSignedLinks = reads._readsSignedLinks },
            ReadsSignedLinks = compiler._readsSignedLinks,
            GroupsInRecipientOrder = groups,
            SqliteRecipientIndexSql = indexed,
        };
    }

    /// <summary>
    /// Whether the recipient index (recipient, id, flags; <see cref="IRecipientIndex"/>) holds every condition: the window
    /// is an id range and human a flags test; a link, campaign, tag, referrer or enrichment condition needs the click row.
    /// </summary>
    private static bool InRecipientIndex(ClickConditions c) =>
        c.Campaign is null && c.Link is null && c.Tag is null && c.ReferrerHost is null
        && c.Country is null && c.Device is null && c.Browser is null && c.Os is null && c.Reason is null;

    /// <summary>The tree's node kinds without values, e.g. "all(clicked,not(clicks))": safe to log.</summary>
    public static string Shape(SegmentFilter filter) => filter switch
    {
        AllFilter all => "all(" + string.Join(',', all.Filters.Select(Shape)) + ")",
        AnyFilter any => "any(" + string.Join(',', any.Filters.Select(Shape)) + ")",
        NotFilter not => "not(" + Shape(not.Filter) + ")",
        ClickedFilter => "clicked",
        ClicksFilter => "clicks",
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter node."),
    };

    /// <summary>
    /// The node's recipients once each: as they are when the node already yields each once (a second aggregate over a
    /// million recipients costs the "at least N clicks" run a hash table of them all), else under SELECT DISTINCT.
    /// </summary>
    private string Distinct(SegmentFilter filter, string node) =>
        YieldsDistinct(filter) ? node : $"SELECT DISTINCT recipient FROM ({node}) AS segment";

    /// <summary>
    /// Whether <see cref="Node"/>'s SQL for the filter has no recipient twice: a clicks predicate groups by recipient
    /// (outside a reads-only compile), and INTERSECT, UNION and EXCEPT (never ALL) remove duplicates; a clicked
    /// predicate and the every-recipient scan are one row per click.
    /// </summary>
    private bool YieldsDistinct(SegmentFilter filter) => filter switch
    {
        ClicksFilter => !_readsOnly,
        ClickedFilter => false,
        NotFilter => true,
        AnyFilter any => MembersYieldDistinct(any.Filters),
        AllFilter all => MembersYieldDistinct(all.Filters),
        _ => false,
    };

    /// <summary>Two or more members are joined by a set operation; a single member is its own node.</summary>
    private bool MembersYieldDistinct(IReadOnlyList<SegmentFilter> members) => members.Count > 1 || (members.Count == 1 && YieldsDistinct(members[0]));

    private string Node(SegmentFilter filter) => filter switch
    {
        AllFilter all => All(all.Filters),
        AnyFilter any => Combine("UNION", any.Filters.Select(Node)),
        NotFilter not => Except(UniverseScan(), [Node(not.Filter)]),
        ClickedFilter clicked => Predicate(clicked.Conditions, atLeast: null),
        ClicksFilter clicks => Predicate(clicks.Conditions, clicks.AtLeast),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown filter node."),
    };

    /// <summary>The positive members intersected, less the negated ones: all[a, not b] reads a and b, never every recipient.</summary>
    private string All(IReadOnlyList<SegmentFilter> filters)
    {
        var positives = filters.Where(f => f is not NotFilter).Select(Node).ToList();
        var negatives = filters.OfType<NotFilter>().Select(n => Node(n.Filter)).ToList();
        var kept = positives.Count > 0 ? Combine("INTERSECT", positives) : UniverseScan();
        return negatives.Count > 0 ? Except(kept, negatives) : kept;
    }

    private string Except(string kept, IReadOnlyList<string> removed) => Combine("EXCEPT", [kept, .. removed]);

    /// <summary>
    /// Each member wrapped as a derived table: SQLite takes no parentheses around compound members, and PostgreSQL gives
    /// INTERSECT a higher precedence than UNION and EXCEPT, so nesting never relies on either rule.
    /// </summary>
    private string Combine(string op, IEnumerable<string> members)
    {
        var list = members.ToList();
        return list.Count == 1
            ? list[0]
            : string.Join($" {op} ", list.Select(m => $"SELECT recipient FROM ({m}) AS s{_aliases++}"));
    }

    private string UniverseScan()
    {
        _scans.Add(new SegmentScan(null, null, null));
        return Universe;
    }

    private string Predicate(ClickConditions c, int? atLeast)
    {
        var sql = new StringBuilder(Universe);
        var from = c.Since(_asOf);
        var to = c.Within is null ? c.To : null;
        if (from is { } f)
        {
            sql.Append(" AND id >= ").Append(Add(Id(f)));
        }

        if (to is { } t)
        {
            sql.Append(" AND id < ").Append(Add(Id(t)));
        }

        if (c.Link is { } link)
        {
            sql.Append(" AND code = ").Append(Add(link));
        }

        if (c.Campaign is { } campaign)
        {
            // A signed link has no row in links; the writer keeps its campaign by code in signed_links (ADR 26).
            var name = Add(campaign);
            sql.Append(" AND code IN (SELECT code FROM links WHERE campaign = ").Append(name)
                .Append(" UNION ALL SELECT code FROM signed_links WHERE campaign = ").Append(name).Append(')');
            _readsSignedLinks = true;
        }

        if (c.Tag is { } tag)
        {
            sql.Append(_dialect == SegmentDialect.Postgres
                ? $" AND code IN (SELECT code FROM links WHERE tags @> ARRAY[{Add(tag)}]::text[])"
                : $" AND code IN (SELECT l.code FROM links AS l JOIN link_tags AS t ON t.link_id = l.id WHERE t.tag = {Add(tag)})");
        }

        if (_readsOnly)
        {
            // What the access paths read (window, link, campaign, tag); the rest only filters those rows.
            _scans.Add(new SegmentScan(from, to, c.Link));
            return sql.ToString();
        }

        AnyOf(sql, "country", c.Country);
        AnyOf(sql, "device", c.Device);
        AnyOf(sql, "lower(browser)", c.Browser);
        AnyOf(sql, "lower(os)", c.Os);
        AnyOf(sql, "reason", c.Reason);

        if (c.Human is { } human)
        {
            sql.Append(" AND flags & ").Append(Add((int)ClickFlags.NonHuman)).Append(human ? " = 0" : " <> 0");
        }

        if (c.ReferrerHost is { } host)
        {
            sql.Append(" AND (").Append(ReferrerHostCondition(host)).Append(')');
        }

        if (atLeast is { } n)
        {
            if (_recipientIndexTerm)
            {
                sql.Append(" AND ").Append(SqliteRecipientIndexTerm);
            }

            sql.Append(" GROUP BY recipient HAVING count(*) >= ").Append(Add(n));
        }

        _scans.Add(new SegmentScan(from, to, c.Link));
        return sql.ToString();
    }

    /// <summary>The column (a constant of this class, never input) is any of the values, each a parameter.</summary>
    private void AnyOf(StringBuilder sql, string column, IReadOnlyList<string>? values)
    {
        if (values is { Count: > 0 })
        {
            sql.Append(" AND ").Append(column).Append(" IN (").AppendJoin(", ", values.Select(v => Add(v))).Append(')');
        }
    }

    /// <summary>
    /// The referrer's host is the given one: the referrer (lowercased) is http(s)://host alone or followed by a path,
    /// port or query. The host is validated to letters, digits, dots and hyphens, so it holds no LIKE wildcard.
    /// </summary>
    private string ReferrerHostCondition(string host)
    {
        var parts = new List<string>();
        foreach (var scheme in Schemes)
        {
            parts.Add("lower(referrer) = " + Add(scheme + host));
            parts.AddRange(AfterHost.Select(next => "lower(referrer) LIKE " + Add(scheme + host + next + "%")));
        }

        return string.Join(" OR ", parts);
    }

    private object Id(DateTimeOffset at)
    {
        var id = ClickIdBounds.SmallestAt(at);
        return _dialect == SegmentDialect.Postgres ? id : id.ToByteArray(bigEndian: true);
    }

    private string Add(object value)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"@p{_parameters.Count}");
        _parameters[name] = value;
        return name;
    }
}
