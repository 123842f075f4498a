using System.Buffers.Binary;
using System.Text;
using FraudEdge.Data.Dataset;

namespace FraudEdge.Data.Tests.Dataset;

public class NpyWriterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(123_456)]
    public void Header_is_numpy_1_0_with_the_final_shape_and_aligned_data(int rows)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fe-npy-{Guid.NewGuid():N}.npy");
        try
        {
            using (var w = new NpyWriter<int>(path, 48))
            {
                var row = new int[48];
                for (int r = 0; r < rows; r++)
                {
                    row[0] = r;
                    w.Append(row);
                }
                w.Complete();
            }
            byte[] bytes = File.ReadAllBytes(path);
            Assert.Equal(0x93, bytes[0]);
            Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
            Assert.Equal(1, bytes[6]);
            Assert.Equal(0, bytes[7]);
            int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
            Assert.Equal(0, (10 + headerLength) % 64);
            string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
            Assert.StartsWith($"{{'descr': '<i4', 'fortran_order': False, 'shape': ({rows}, 48), }}", header, StringComparison.Ordinal);
            Assert.EndsWith("\n", header, StringComparison.Ordinal);
            Assert.Equal(10 + headerLength + (rows * 48 * 4), bytes.Length);
            if (rows > 2) Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(10 + headerLength + (2 * 48 * 4))));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void One_dimensional_shapes_have_a_trailing_comma_and_dtypes_match()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"fe-npy-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var u8 = new NpyWriter<byte>(Path.Combine(dir, "a.npy"));
            Assert.Contains("{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }", Encoding.ASCII.GetString(u8.Preamble(5)), StringComparison.Ordinal);
            u8.Dispose();
            var f4 = new NpyWriter<float>(Path.Combine(dir, "b.npy"), 44);
            Assert.Contains("'descr': '<f4'", Encoding.ASCII.GetString(f4.Preamble(1)), StringComparison.Ordinal);
            f4.Dispose();
            Assert.Throws<ArgumentException>(() =>
            {
                using var t = new NpyWriter<int>(Path.Combine(dir, "c.npy"), 48);
                t.Append(new int[47]);
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
