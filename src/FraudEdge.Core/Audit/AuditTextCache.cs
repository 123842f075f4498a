using System.Text;

namespace FraudEdge.Core.Audit;

/// <summary>
/// Decodes a short text field, reusing the previous string while the bytes repeat (a model version is the same
/// in millions of consecutive decisions), so reading a log does not allocate a string per record.
/// </summary>
internal sealed class AuditTextCache
{
    private readonly byte[] _bytes = new byte[AuditFormat.ModelNameCapacity];
    private int _length = -1;
    private string _text = "";

    public string Get(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == _length && bytes.SequenceEqual(_bytes.AsSpan(0, _length))) return _text;
        _text = Encoding.UTF8.GetString(bytes); // invalid sequences become U+FFFD: the reader never throws on text
        bytes.CopyTo(_bytes);
        _length = bytes.Length;
        return _text;
    }
}
