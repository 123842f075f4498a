using System.Text;

namespace FraudEdge.Data.Import;

/// <summary>
/// Streams RFC 4180 records: a configurable delimiter, quoted fields with doubled quotes, CR LF or LF line ends,
/// line breaks inside quoted fields. Tracks the physical line on which each record starts so errors can name it.
/// </summary>
internal sealed class CsvRecordReader
{
    /// <summary>A longer field is refused: no genuine transaction field is anywhere near this.</summary>
    public const int MaxFieldLength = 4096;

    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly StringBuilder _field = new();
    private long _line = 1;

    public CsvRecordReader(TextReader reader, char delimiter)
    {
        if (delimiter is '"' or '\r' or '\n') throw new ArgumentException("The delimiter cannot be a quote or a line break.", nameof(delimiter));
        _reader = reader;
        _delimiter = delimiter;
    }

    /// <summary>
    /// Reads the next non-empty record into <paramref name="fields"/>. Returns false at end of input.
    /// A malformed record (unterminated quote, text after a closing quote, an oversized field) is reported
    /// through <paramref name="error"/> with the fields read so far discarded; reading can continue after it.
    /// </summary>
    public bool TryReadRecord(List<string> fields, out long startLine, out string? error)
    {
        fields.Clear();
        error = null;
        while (true)
        {
            startLine = _line;
            int first = _reader.Peek();
            if (first < 0) return false;
            if (first is '\r' or '\n')
            {
                ConsumeLineEnd();
                continue; // blank line
            }
            break;
        }
        _field.Clear();
        bool quoted = false, afterQuote = false, fieldStart = true;
        while (true)
        {
            int c = _reader.Read();
            if (c < 0)
            {
                if (quoted) error = "unterminated quoted field at end of file";
                fields.Add(_field.ToString());
                return true;
            }
            char ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        Append('"', ref error);
                    }
                    else
                    {
                        quoted = false;
                        afterQuote = true;
                    }
                }
                else
                {
                    if (ch == '\n') _line++;
                    Append(ch, ref error);
                }
                continue;
            }
            if (ch == _delimiter)
            {
                fields.Add(_field.ToString());
                _field.Clear();
                fieldStart = true;
                afterQuote = false;
                continue;
            }
            if (ch is '\r' or '\n')
            {
                if (ch == '\r' && _reader.Peek() == '\n') _reader.Read();
                _line++;
                fields.Add(_field.ToString());
                return true;
            }
            if (ch == '"' && fieldStart)
            {
                quoted = true;
                fieldStart = false;
                continue;
            }
            if (afterQuote && ch != ' ')
                error ??= "text after a closing quote";
            fieldStart = false;
            Append(ch, ref error);
        }
    }

    private void Append(char ch, ref string? error)
    {
        if (_field.Length >= MaxFieldLength)
        {
            error ??= $"a field is longer than {MaxFieldLength} characters";
            return;
        }
        _field.Append(ch);
    }

    private void ConsumeLineEnd()
    {
        int c = _reader.Read();
        if (c == '\r' && _reader.Peek() == '\n') _reader.Read();
        _line++;
    }
}
