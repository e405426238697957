using System.Text;

namespace LinkTracker.Imports;

/// <summary>
/// The rows of an export, whatever its format; YOURLS and Shlink exports are told apart as JSON or CSV by their first
/// character. <see cref="Done"/> says how much of the file has been read, for the progress bar.
/// </summary>
public sealed class ExportReader(ImportFormat format, Stream stream)
{
    private int _jsonRead;
    private int _jsonCount;

    /// <summary>The share of the file read so far, 0 to 1.</summary>
    public double Done => _jsonCount > 0
        ? (double)_jsonRead / _jsonCount
        : stream.CanSeek && stream.Length > 0 ? Math.Min(1, (double)stream.Position / stream.Length) : 0;

    public async IAsyncEnumerable<ImportRow> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (await IsJsonAsync(cancellationToken))
        {
            if (format == ImportFormat.Csv)
            {
                throw new ImportFileException("The file looks like JSON; --format csv reads a CSV file with a header row (code,url,...).");
            }

            var rows = await JsonExport.ReadAsync(format, stream, cancellationToken);
            _jsonCount = Math.Max(1, rows.Count);
            foreach (var row in rows)
            {
                _jsonRead++;
                yield return row;
            }

            yield break;
        }

        if (format == ImportFormat.Kutt)
        {
            throw new ImportFileException("Kutt exports are the links API's JSON (an object with \"data\": [...]); this file is not JSON.");
        }

        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        await foreach (var row in CsvExport.ReadAsync(format, text, cancellationToken))
        {
            yield return row;
        }
    }

    private async Task<bool> IsJsonAsync(CancellationToken cancellationToken)
    {
        if (!stream.CanSeek)
        {
            return format == ImportFormat.Kutt;
        }

        var start = new byte[256];
        var read = await stream.ReadAsync(start, cancellationToken);
        stream.Seek(0, SeekOrigin.Begin);
        var text = Encoding.UTF8.GetString(start, 0, read).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return text.Length > 0 && text[0] is '{' or '[';
    }
}
