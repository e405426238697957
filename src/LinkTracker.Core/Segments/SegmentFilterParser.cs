using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LinkTracker.Core.Segments;

/// <summary>
/// Reads a filter tree from JSON, or says which node is wrong: errors are keyed by the node's path
/// (e.g. "filter.all[1].clicked.within") with a message that says what to write instead.
/// </summary>
public static partial class SegmentFilterParser
{
    public const int MaxNodes = 64;
    public const int MaxDepth = 8;
    public const int MaxAtLeast = 1_000_000;
    public static readonly TimeSpan MaxWithin = TimeSpan.FromDays(366);

    private const string NodeKinds = "one of all, any, not, clicked, clicks";
    private const string ConditionNames = "campaign, link, tag, referrerHost, human, within, from, to, country, device, browser, os, reason";

    /// <returns>The filter, or null with at least one error.</returns>
    public static (SegmentFilter? Filter, Dictionary<string, string[]> Errors) Parse(JsonElement json, string path = "filter")
    {
        var state = new State();
        var filter = Node(json, path, 1, state);
        if (state.Nodes > MaxNodes && !state.Errors.ContainsKey(path))
        {
            state.Errors[path] = [$"A filter has at most {MaxNodes} nodes; this one has {state.Nodes}. Split it into several segments."];
        }

        return state.Errors.Count == 0 ? (filter, state.Errors) : (null, state.Errors);
    }

    private static SegmentFilter? Node(JsonElement json, string path, int depth, State state)
    {
        state.Nodes++;
        if (depth > MaxDepth)
        {
            return Fail(state, path, $"A filter nests at most {MaxDepth} levels deep; flatten it (all inside all is one all).");
        }

        if (json.ValueKind != JsonValueKind.Object || json.EnumerateObject().Count() != 1)
        {
            return Fail(state, path, $"A filter node is an object with exactly one key, {NodeKinds}; e.g. {{\"clicked\": {{\"link\": \"pricing\"}}}}.");
        }

        var property = json.EnumerateObject().Single();
        var at = path + "." + property.Name;
        return property.Name switch
        {
            "all" => List(property.Value, at, depth, state) is { } all ? new AllFilter(all) : null,
            "any" => List(property.Value, at, depth, state) is { } any ? new AnyFilter(any) : null,
            "not" => Node(property.Value, at, depth + 1, state) is { } inner ? new NotFilter(inner) : null,
            "clicked" => Conditions(property.Value, at, atLeast: false, state) is { } c ? new ClickedFilter(c.Conditions) : null,
            "clicks" => Conditions(property.Value, at, atLeast: true, state) is { } c ? new ClicksFilter(c.AtLeast, c.Conditions) : null,
            _ => Fail(state, at, $"'{property.Name}' is not a filter node; use {NodeKinds}."),
        };
    }

    private static List<SegmentFilter>? List(JsonElement json, string path, int depth, State state)
    {
        if (json.ValueKind != JsonValueKind.Array || json.GetArrayLength() == 0)
        {
            return Fail<List<SegmentFilter>>(state, path, "all and any take a non-empty array of filter nodes, e.g. [{\"clicked\": {\"link\": \"a\"}}, {\"clicked\": {\"link\": \"b\"}}].");
        }

        var nodes = new List<SegmentFilter>();
        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            if (Node(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), depth + 1, state) is { } node)
            {
                nodes.Add(node);
            }
        }

        return nodes.Count == index ? nodes : null;
    }

    private static (ClickConditions Conditions, int AtLeast)? Conditions(JsonElement json, string path, bool atLeast, State state)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return Fail<(ClickConditions, int)?>(state, path, $"clicked and clicks take an object of conditions ({ConditionNames}{(atLeast ? ", atLeast" : "")}).");
        }

        var errors = state.Errors.Count;
        var c = new ClickConditions();
        int? count = null;
        foreach (var p in json.EnumerateObject())
        {
            var at = path + "." + p.Name;
            switch (p.Name)
            {
                case "campaign": c = c with { Campaign = Text(p.Value, at, state, "a campaign name, e.g. \"spring\"") }; break;
                case "link": c = c with { Link = Text(p.Value, at, state, "a link's code, e.g. \"pricing\"") }; break;
                case "tag": c = c with { Tag = Text(p.Value, at, state, "a tag, e.g. \"newsletter\"") }; break;
                case "referrerHost": c = c with { ReferrerHost = Host(p.Value, at, state) }; break;
                case "human":
                    if (p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        c = c with { Human = p.Value.GetBoolean() };
                    }
                    else
                    {
                        Fail<object>(state, at, "human is true (people only) or false (bots and link checkers only).");
                    }

                    break;
                case "country": c = c with { Country = Values(p.Value, at, state, CountryCode, CountryMessage) }; break;
                case "device": c = c with { Device = Values(p.Value, at, state, v => OneOf(v, EnrichedValues.Devices), DeviceMessage) }; break;
                case "browser": c = c with { Browser = Values(p.Value, at, state, FamilyName, FamilyMessage("browser", EnrichedValues.Browsers)) }; break;
                case "os": c = c with { Os = Values(p.Value, at, state, FamilyName, FamilyMessage("os", EnrichedValues.Oses)) }; break;
                case "reason": c = c with { Reason = Values(p.Value, at, state, v => OneOf(v, EnrichedValues.Reasons), ReasonMessage) }; break;
                case "within": c = c with { Within = Duration(p.Value, at, state) }; break;
                case "from": c = c with { From = Instant(p.Value, at, state) }; break;
                case "to": c = c with { To = Instant(p.Value, at, state) }; break;
                case "atLeast" when atLeast:
                    count = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var n) && n is >= 1 and <= MaxAtLeast
                        ? n
                        : Fail<int?>(state, at, $"atLeast is a whole number from 1 to {MaxAtLeast}, e.g. 3.");
                    break;
                default:
                    Fail<object>(state, at, $"'{p.Name}' is not a condition; use {ConditionNames}{(atLeast ? ", atLeast" : "")}.");
                    break;
            }
        }

        if (atLeast && count is null && !json.TryGetProperty("atLeast", out _))
        {
            Fail<object>(state, path + ".atLeast", "clicks needs atLeast, a whole number from 1, e.g. {\"clicks\": {\"atLeast\": 3, \"within\": \"P30D\"}}.");
        }

        if (c.Within is not null && (c.From is not null || c.To is not null))
        {
            Fail<object>(state, path + ".within", "Use either within (relative to the run) or from/to (fixed instants), not both.");
        }

        if (c is { From: { } from, To: { } to } && from >= to)
        {
            Fail<object>(state, path + ".to", $"to ({to:O}) must be after from ({from:O}).");
        }

        return state.Errors.Count == errors ? (c, count ?? 0) : null;
    }

    private static string? Text(JsonElement json, string path, State state, string example) =>
        json.ValueKind == JsonValueKind.String && json.GetString() is { Length: > 0 and <= 200 } text
            ? text
            : Fail<string>(state, path, $"Expected {example} (1 to 200 characters).");

    private static string? Host(JsonElement json, string path, State state) =>
        json.ValueKind == JsonValueKind.String && json.GetString()?.ToLowerInvariant() is { Length: <= 253 } host && HostPattern().IsMatch(host)
            ? host
            : Fail<string>(state, path, "referrerHost is a host name such as \"news.example.com\": no scheme, path or port.");

    /// <summary>A string or a non-empty array of strings, each normalised (or refused: null), without duplicates, in order.</summary>
    private static string[]? Values(JsonElement json, string path, State state, Func<string, string?> normalise, string message)
    {
        if (json.ValueKind == JsonValueKind.String)
        {
            return normalise(json.GetString()!) is { } one ? [one] : Fail<string[]>(state, path, message);
        }

        if (json.ValueKind != JsonValueKind.Array || json.GetArrayLength() is 0 or > EnrichedValues.MaxValues)
        {
            return Fail<string[]>(state, path, $"{message} A list has 1 to {EnrichedValues.MaxValues} values.");
        }

        var values = new SortedSet<string>(StringComparer.Ordinal);
        var index = 0;
        var refused = false;
        foreach (var item in json.EnumerateArray())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]");
            if (item.ValueKind == JsonValueKind.String && normalise(item.GetString()!) is { } value)
            {
                values.Add(value);
            }
            else
            {
                refused = true;
                Fail<object>(state, at, message);
            }
        }

        return refused ? null : [.. values];
    }

    private static string? CountryCode(string value) => CountryPattern().IsMatch(value) ? value.ToUpperInvariant() : null;

    private static string? FamilyName(string value) => FamilyPattern().IsMatch(value) ? value.ToLowerInvariant() : null;

    private static string? OneOf(string value, IReadOnlyList<string> allowed) =>
        allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));

    private const string CountryMessage =
        "country is an ISO 3166 two-letter code (any case), or a list of them (any of): e.g. \"DE\" or [\"de\", \"AT\"].";

    private static readonly string DeviceMessage =
        $"device is one of {string.Join(", ", EnrichedValues.Devices)}, or a list of them (any of): e.g. [\"mobile\", \"tablet\"].";

    private static readonly string ReasonMessage =
        $"reason is why a click is not a person's: one of {string.Join(", ", EnrichedValues.Reasons)}, or a list of them (any of); "
        + "for people's clicks use human: true.";

    private static string FamilyMessage(string name, IReadOnlyList<string> known) =>
        $"{name} is a family name of 1 to 40 letters, digits, spaces, dots or hyphens, or a list of them (any of), any case; "
        + $"the shipped list knows {string.Join(", ", known)}.";

    private static TimeSpan? Duration(JsonElement json, string path, State state)
    {
        var text = json.ValueKind == JsonValueKind.String ? json.GetString() : null;
        var match = text is null ? null : DurationPattern().Match(text);
        if (match is { Success: true } && text != "P" && text != "PT")
        {
            static long Part(Group g) => g.Success ? long.Parse(g.Value, CultureInfo.InvariantCulture) : 0;
            var duration = TimeSpan.FromDays((Part(match.Groups[1]) * 7) + Part(match.Groups[2]))
                + TimeSpan.FromHours(Part(match.Groups[3])) + TimeSpan.FromMinutes(Part(match.Groups[4]));
            if (duration > TimeSpan.Zero && duration <= MaxWithin)
            {
                return duration;
            }
        }

        return Fail<TimeSpan?>(state, path,
            $"within is an ISO 8601 duration in weeks, days, hours or minutes, more than zero and at most {MaxWithin.TotalDays:0} days: e.g. \"P7D\", \"PT12H\", \"P2W\".");
    }

    private static DateTimeOffset? Instant(JsonElement json, string path, State state) =>
        json.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParseExact(json.GetString(), ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds())
            : Fail<DateTimeOffset?>(state, path, "from and to are ISO 8601 instants with an offset, e.g. \"2026-11-01T00:00:00Z\".");

    private static SegmentFilter? Fail(State state, string path, string message) => Fail<SegmentFilter>(state, path, message);

    private static T? Fail<T>(State state, string path, string message, T? value = default)
    {
        state.Errors.TryAdd(path, [message]);
        return value;
    }

    [GeneratedRegex("^[A-Za-z]{2}$")]
    private static partial Regex CountryPattern();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9 ._-]{0,38}[A-Za-z0-9.])?$")]
    private static partial Regex FamilyPattern();

    [GeneratedRegex("^P(?:([0-9]{1,3})W)?(?:([0-9]{1,4})D)?(?:T(?:([0-9]{1,5})H)?(?:([0-9]{1,7})M)?)?$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex HostPattern();

    private sealed class State
    {
        public int Nodes { get; set; }

        public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);
    }
}
