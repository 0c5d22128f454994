namespace Slipway.Images.BaseImages;

/// <summary>
/// An exclusive lock on a bases output directory across processes: an advisory flock on <c>.lock</c> inside it
/// (.NET's FileShare.None), released when disposed or when the holder dies, so a killed build never leaves it taken.
/// </summary>
public sealed class OutputLock : IAsyncDisposable
{
    private readonly FileStream _file;
    private OutputLock(FileStream file) => _file = file;

    public static async Task<OutputLock> AcquireAsync(string directory, Action<string> log, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ".lock");
        var said = false;
        while (true)
        {
            try { return new OutputLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)); }
            catch (IOException)
            {
                if (!said) log($"waiting for another process building bases in {directory} (lock {path})");
                said = true;
                await Task.Delay(500, ct);
            }
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
