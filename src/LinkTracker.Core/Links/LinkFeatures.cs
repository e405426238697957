using System.Text.Json;
using System.Text.Json.Serialization;

namespace LinkTracker.Core.Links;

/// <summary>
/// What a link may have beyond a destination: the UTM parameters it was built with, redirect rules, a visit limit.
/// Stored as one JSON column (null when there is none), so adding one is not a migration on every engine.
/// </summary>
public sealed record LinkFeatures(LinkUtm? Utm = null, IReadOnlyList<RedirectRule>? Rules = null, long? MaxVisits = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static LinkFeatures None { get; } = new();

    public bool IsNone => (Utm is null || Utm.IsEmpty) && (Rules is null || Rules.Count == 0) && MaxVisits is null;

    /// <summary>The stored form: null when the link has no features.</summary>
    public static string? Serialize(LinkFeatures features) => features.IsNone ? null : JsonSerializer.Serialize(features, Json);

    public static LinkFeatures Parse(string? stored) =>
        string.IsNullOrEmpty(stored) ? None : JsonSerializer.Deserialize<LinkFeatures>(stored, Json) ?? None;

    // Records with lists compare lists by reference; links read back from a store must equal what was stored.
    public bool Equals(LinkFeatures? other) =>
        other is not null && (ReferenceEquals(this, other) || Serialize(this) == Serialize(other));

    public override int GetHashCode() => Serialize(this)?.GetHashCode(StringComparison.Ordinal) ?? 0;
}
