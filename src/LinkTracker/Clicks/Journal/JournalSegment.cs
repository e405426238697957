using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace LinkTracker.Clicks.Journal;

/// <summary>One segment file of the journal: appended to while it is the newest, deleted once nothing in it waits.</summary>
internal sealed class JournalSegment : IDisposable
{
    public const string Extension = ".seg";

    private JournalSegment(string path, long number, SafeFileHandle handle, long length)
    {
        Path = path;
        Number = number;
        Handle = handle;
        Length = length;
    }

    public string Path { get; }

    public long Number { get; }

    public SafeFileHandle Handle { get; }

    /// <summary>Bytes of whole records; the next append writes here.</summary>
    public long Length { get; set; }

    /// <summary>
    /// Records in this segment not yet acknowledged (guarded by the journal's lock). Parked records count too and are
    /// never acknowledged, so a segment holding one is never deleted.
    /// </summary>
    public int Waiting { get; set; }

    /// <summary>Records kept because this build cannot read them (a newer click format); never delivered.</summary>
    public int Parked { get; set; }

    public static string FileName(long number) => number.ToString("D12", CultureInfo.InvariantCulture) + Extension;

    /// <summary>The segment number of a file name this journal wrote, or null for any other file.</summary>
    public static long? NumberOf(string path) =>
        System.IO.Path.GetExtension(path) == Extension && long.TryParse(System.IO.Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;

    public static JournalSegment Create(string folder, long number)
    {
        var path = System.IO.Path.Combine(folder, FileName(number));
        return new JournalSegment(path, number, File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete), 0);
    }

    public static JournalSegment Open(string path, long number)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        return new JournalSegment(path, number, handle, RandomAccess.GetLength(handle));
    }

    /// <summary>Cuts a torn tail off: what follows the last whole record.</summary>
    public void Truncate(long length)
    {
        RandomAccess.SetLength(Handle, length);
        RandomAccess.FlushToDisk(Handle);
        Length = length;
    }

    public void Delete()
    {
        File.Delete(Path);
        Handle.Dispose();
    }

    public void Dispose() => Handle.Dispose();
}
