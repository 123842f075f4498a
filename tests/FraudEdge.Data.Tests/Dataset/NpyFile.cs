using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace FraudEdge.Data.Tests.Dataset;

/// <summary>A minimal .npy reader for the tests (the real reader is numpy).</summary>
internal sealed partial class NpyFile
{
    public required string Descr { get; init; }
    public required int[] Shape { get; init; }
    public required byte[] Data { get; init; }

    public static NpyFile Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY" || bytes[6] != 1 || bytes[7] != 0)
            throw new InvalidDataException("not npy 1.0");
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        var m = HeaderPattern().Match(header);
        if (!m.Success) throw new InvalidDataException(header);
        int[] shape = m.Groups[3].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        return new NpyFile { Descr = m.Groups[1].Value, Shape = shape, Data = bytes[(10 + headerLength)..] };
    }

    public T[] As<T>() where T : unmanaged => MemoryMarshal.Cast<byte, T>(Data).ToArray();

    [GeneratedRegex(@"^\{'descr': '([^']+)', 'fortran_order': (False|True), 'shape': \(([^)]*)\), \} *\n$")]
    private static partial Regex HeaderPattern();
}
