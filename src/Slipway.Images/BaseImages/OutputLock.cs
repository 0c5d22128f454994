using Slipway.Tooling;

namespace Slipway.Images.BaseImages;

/// <summary>
/// An exclusive lock on a bases output directory across processes: an advisory flock on <c>.lock</c> inside it
/// (<see cref="FileLock"/>), released when disposed or when the holder dies, so a killed build never leaves it taken.
/// </summary>
public sealed class OutputLock : IAsyncDisposable
{
    private readonly FileStream _file;
    private OutputLock(FileStream file) => _file = file;

    public static async Task<OutputLock> AcquireAsync(string directory, Action<string> log, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ".lock");
        return new OutputLock(await FileLock.TakeAsync(path, () => log($"waiting for another process building bases in {directory} (lock {path})"), ct));
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
