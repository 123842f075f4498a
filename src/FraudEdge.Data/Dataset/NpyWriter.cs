using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace FraudEdge.Data.Dataset;

/// <summary>
/// Streams rows into a NumPy .npy file (format version 1.0, little-endian, C order). The row count is not
/// known until the end, so a fixed 128-byte preamble is written first and rewritten with the real shape on
/// <see cref="Complete"/>; the header dict is padded with spaces to keep the data 64-byte aligned, as NumPy does.
/// </summary>
public sealed class NpyWriter<T> : IDisposable where T : unmanaged
{
    /// <summary>Magic + version + header length + header dict + padding + '\n'.</summary>
    public const int PreambleLength = 128;

    private readonly FileStream _stream;
    private readonly string _descr;
    private readonly int[] _rowShape;
    private readonly int _rowLength;
    private bool _completed;

    /// <param name="path">File to create.</param>
    /// <param name="rowShape">Shape of one row: empty for a 1-D array, e.g. [48] for [N, 48].</param>
    public NpyWriter(string path, params int[] rowShape)
    {
        _descr = Descr();
        _rowShape = rowShape;
        _rowLength = 1;
        foreach (int d in rowShape) _rowLength *= d;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        _stream.Write(Preamble(0));
    }

    public long Rows { get; private set; }

    /// <summary>Appends one row (or several: any multiple of the row length).</summary>
    public void Append(ReadOnlySpan<T> values)
    {
        if (_completed) throw new InvalidOperationException("The .npy file is complete.");
        if (values.Length == 0 || values.Length % _rowLength != 0)
            throw new ArgumentException($"Expected a multiple of {_rowLength} values.", nameof(values));
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The .npy writer assumes a little-endian host.");
        _stream.Write(MemoryMarshal.AsBytes(values));
        Rows += values.Length / _rowLength;
    }

    public void Append(T value) => Append([value]);

    /// <summary>Rewrites the preamble with the final row count and closes the file.</summary>
    public void Complete()
    {
        if (_completed) return;
        _stream.Flush();
        _stream.Position = 0;
        _stream.Write(Preamble(Rows));
        _stream.Flush();
        _stream.Dispose();
        _completed = true;
    }

    public void Dispose()
    {
        if (!_completed) _stream.Dispose();
    }

    /// <summary>The exact preamble bytes for a given row count (also used by tests).</summary>
    public byte[] Preamble(long rows)
    {
        var shape = new StringBuilder("(");
        shape.Append(rows.ToString(CultureInfo.InvariantCulture));
        if (_rowShape.Length == 0) shape.Append(',');
        foreach (int d in _rowShape) shape.Append(", ").Append(d.ToString(CultureInfo.InvariantCulture));
        shape.Append(')');
        string dict = $"{{'descr': '{_descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int headerLength = PreambleLength - 10;
        if (dict.Length + 1 > headerLength) throw new InvalidOperationException("The .npy header does not fit the fixed preamble.");
        var bytes = new byte[PreambleLength];
        bytes[0] = 0x93;
        "NUMPY"u8.CopyTo(bytes.AsSpan(1));
        bytes[6] = 1; // major version
        bytes[7] = 0; // minor version
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        var text = bytes.AsSpan(10);
        text.Fill((byte)' ');
        Encoding.ASCII.GetBytes(dict, text);
        text[^1] = (byte)'\n';
        return bytes;
    }

    private static string Descr()
    {
        if (typeof(T) == typeof(int)) return "<i4";
        if (typeof(T) == typeof(float)) return "<f4";
        if (typeof(T) == typeof(byte)) return "|u1";
        if (typeof(T) == typeof(long)) return "<i8";
        if (typeof(T) == typeof(double)) return "<f8";
        throw new NotSupportedException($"No .npy dtype for {typeof(T).Name}.");
    }
}
