using System.Security.Cryptography;
using LinkTracker.Core.Common;
using Microsoft.AspNetCore.DataProtection;

namespace LinkTracker.Api;

/// <summary>
/// Cursors are opaque to callers and bound to the listing that gave them: the store's cursor with the listing's scope
/// (tenant, and link where it applies), encrypted and authenticated with Data Protection. A cursor changed by hand,
/// or taken from another tenant's or another link's listing, is refused as invalid.
/// </summary>
public sealed class Cursors(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("LinkTracker.Api.Cursor.v1");

    public string? Encode(string scope, string? storeCursor) =>
        storeCursor is null ? null : _protector.Protect(scope + "\n" + storeCursor);

    /// <exception cref="InvalidCursorException">Not a cursor a listing of this scope returned.</exception>
    public string? Decode(string scope, string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        string plain;
        try
        {
            plain = _protector.Unprotect(cursor);
        }
        catch (CryptographicException)
        {
            throw new InvalidCursorException();
        }

        return plain.StartsWith(scope + "\n", StringComparison.Ordinal) ? plain[(scope.Length + 1)..] : throw new InvalidCursorException();
    }
}
