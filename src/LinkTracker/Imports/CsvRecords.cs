using System.Text;

namespace LinkTracker.Imports;

/// <summary>
/// Reads RFC 4180 records one by one: fields separated by commas, quoted when they hold commas, quotes ("") or line
/// breaks; LF or CRLF line ends. Each record comes with the line it starts on, so a rejected row can be found.
/// </summary>
public sealed class CsvRecords(TextReader reader)
{
    private readonly char[] _buffer = new char[64 * 1024];
    private int _length;
    private int _position;
    private int _line = 1;

    /// <returns>The next record and its first line, or null at the end. An unclosed quote ends the record at the end of the file.</returns>
    public async ValueTask<(int Line, List<string> Fields)?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(cancellationToken))
        {
            return null;
        }

        var start = _line;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        while (await FillAsync(cancellationToken))
        {
            var c = _buffer[_position++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (await FillAsync(cancellationToken) && _buffer[_position] == '"')
                    {
                        _position++;
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    _line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    _line++;
                    fields.Add(field.ToString());
                    return (start, fields);
                default:
                    field.Append(c);
                    break;
            }
        }

        fields.Add(field.ToString());
        return (start, fields);
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_position < _length)
        {
            return true;
        }

        _length = await reader.ReadAsync(_buffer, cancellationToken);
        _position = 0;
        return _length > 0;
    }
}
