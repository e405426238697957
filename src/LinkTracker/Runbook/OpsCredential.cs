using System.Security.Cryptography;
using System.Text;
using LinkTracker.Storage;
using Microsoft.Extensions.Options;

namespace LinkTracker.Runbook;

/// <summary>
/// The one operator token of this process: Ops:Token when configured, otherwise the data folder's ops-token file,
/// created at first start (mode 0600) so the embedded default is protected without any setting. Only its SHA-256 is
/// kept in memory, compared in constant time.
/// </summary>
public sealed class OpsCredential
{
    public const string FileName = "ops-token";
    private const int MinLength = 32;
    private readonly byte[] _hash;

    public OpsCredential(IOptions<OpsOptions> ops, IOptions<StorageOptions> storage)
    {
        if (!string.IsNullOrEmpty(ops.Value.Token))
        {
            _hash = Hash(ops.Value.Token);
        }
        else
        {
            FilePath = Path.GetFullPath(Path.Combine(storage.Value.DataDirectory, FileName));
            _hash = Hash(ReadOrCreate(FilePath));
        }

        SessionStamp = Convert.ToHexStringLower(SHA256.HashData([.. "linktracker operator session\n"u8, .. _hash]).AsSpan(0, 16));
    }

    /// <summary>
    /// A fingerprint of this token, kept in the operator page's session cookie: after the token changes, sessions signed in
    /// with the old one no longer match and end. Derived from the hash with a label, so it reveals nothing usable for /ops.
    /// </summary>
    public string SessionStamp { get; }

    /// <summary>The token file, or null when the token is configured.</summary>
    public string? FilePath { get; }

    public bool Matches(ReadOnlySpan<char> token) =>
        !token.IsEmpty && CryptographicOperations.FixedTimeEquals(Hash(token), _hash);

    /// <summary>The token the service in <paramref name="dataDirectory"/> generated, or null (for the CLI).</summary>
    public static string? ReadFile(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    private static string ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return ReadFile(Path.GetDirectoryName(path)!) is { Length: >= MinLength } existing
                ? existing
                : throw new InvalidOperationException($"{path} holds no operator token of {MinLength}+ characters: delete it to have a new one generated, or set Ops:Token.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var token = "lt_ops_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var file = new StreamWriter(path, Encoding.ASCII, create);
            file.WriteLine(token);
            return token;
        }
        catch (IOException) when (File.Exists(path))
        {
            return ReadFile(Path.GetDirectoryName(path)!)!; // another process of this folder wrote it first
        }
    }

    private static byte[] Hash(ReadOnlySpan<char> token)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(token.Length, 1024))];
        var length = Encoding.UTF8.GetBytes(token[..Math.Min(token.Length, 1024)], utf8);
        return SHA256.HashData(utf8[..length]);
    }
}
