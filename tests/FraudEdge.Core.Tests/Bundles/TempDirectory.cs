namespace FraudEdge.Core.Tests.Bundles;

/// <summary>A temporary folder removed at the end of the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fraudedge-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public static TempDirectory CopyOf(string directory)
    {
        var temp = new TempDirectory();
        foreach (string file in Directory.GetFiles(directory))
            File.Copy(file, System.IO.Path.Combine(temp.Path, System.IO.Path.GetFileName(file)));
        return temp;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
