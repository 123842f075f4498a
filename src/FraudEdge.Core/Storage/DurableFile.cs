using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FraudEdge.Core.Storage;

/// <summary>
/// Crash-safe file replacement: write a temporary file, fsync it, rename it over the target, fsync the
/// directory. After a crash the target holds either the old or the new content, never a mix.
/// </summary>
public static partial class DurableFile
{
    public static void WriteAtomic(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                write(stream);
                stream.Flush(flushToDisk: true); // fsync(2): data and size are on disk before the rename
            }
            File.Move(temp, full, overwrite: true); // rename(2) is atomic within a file system
            FsyncDirectory(directory);               // make the rename itself durable
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>fsync on a directory so a created or renamed entry survives power loss (POSIX only).</summary>
    public static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        int fd = Open(directory, OpenReadOnly | OpenDirectory);
        if (fd < 0) return; // some file systems refuse; the file's own fsync already happened
        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// fdatasync(2) on Linux: the file's data reaches the disk, and its metadata only where reading the data back
    /// needs it (the size). Over blocks already written and synced (a preallocated, zero-filled audit segment) that
    /// is one flush of the data, without the journal commit fsync adds for the modification time. Elsewhere fsync.
    /// </summary>
    public static void FlushData(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(handle);
            return;
        }
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fdatasync failed (errno {errno})", errno);
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private const int OpenReadOnly = 0;
    private const int OpenDirectory = 0x10000; // O_DIRECTORY on Linux x64 and arm64

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int Fdatasync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
