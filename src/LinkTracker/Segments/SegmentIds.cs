using System.Buffers;
using System.Security.Cryptography;

namespace LinkTracker.Segments;

/// <summary>Random ids: seg_ and run_ with 16 hex digits, so ids say nothing about how many a tenant has.</summary>
internal static class SegmentIds
{
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdef");

    public static string NewSegment() => "seg_" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public static string NewRun() => "run_" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public static bool IsWellFormed(string id, string prefix) =>
        id.Length == prefix.Length + 16 && id.StartsWith(prefix, StringComparison.Ordinal) && id.AsSpan(prefix.Length).ContainsAnyExcept(Hex) is false;
}
