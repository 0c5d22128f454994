namespace Slipway.Tooling;

/// <summary>
/// An exclusive lock between processes on one file: .NET's FileShare.None takes an advisory flock, which the kernel
/// releases when the holder dies, so a killed build or worker never leaves it taken. One home for the workspace,
/// base-output and test-port locks.
/// </summary>
public static class FileLock
{
    /// <summary>The held lock (dispose to release), or null when another holder has it. <paramref name="create"/>
    /// false: null also when the file is gone.</summary>
    public static FileStream? TryTake(string path, bool create = true)
    {
        try { return new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException) { return null; }
    }

    /// <summary>Waits until the lock is free, saying once through <paramref name="waiting"/> that it waits.</summary>
    public static async Task<FileStream> TakeAsync(string path, Action waiting, CancellationToken ct)
    {
        var said = false;
        while (true)
        {
            if (TryTake(path) is { } held) return held;
            if (!said) waiting();
            said = true;
            await Task.Delay(500, ct);
        }
    }
}
