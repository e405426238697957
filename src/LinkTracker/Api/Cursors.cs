using System.Buffers.Text;
using System.Text;
using LinkTracker.Core.Common;

namespace LinkTracker.Api;

/// <summary>Cursors are opaque to callers: the store's cursor in base64url.</summary>
internal static class Cursors
{
    public static string? Encode(string? storeCursor) =>
        storeCursor is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(storeCursor));

    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw new InvalidCursorException();
        }
    }
}
