using System.Collections.Concurrent;
using System.Security.Cryptography;
using Slipway.Oci.Content;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Testing;

namespace Slipway.Oci.Tests.Registry;

/// <summary>Two images of one run share a layer: it goes up once, while each image keeps its own cancellation and progress.</summary>
public class SharedBlobTests
{
    /// <summary>A layer whose stream hands out its first bytes, then holds until the test opens the gate.</summary>
    private sealed class GatedBlob(byte[] content, int before, Task gate) : IBlob
    {
        public Descriptor Descriptor { get; } = Descriptor.Of(MediaTypes.OciLayer, content);
        public int Opens;

        public Task<Stream> OpenReadAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Opens);
            return Task.FromResult<Stream>(new GatedStream(content, before, gate));
        }

        private sealed class GatedStream(byte[] content, int before, Task gate) : Stream
        {
            private int _position;
            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
            {
                if (_position >= before) await gate.WaitAsync(ct);
                var limit = _position < before ? before : content.Length;
                var n = Math.Min(buffer.Length, limit - _position);
                content.AsMemory(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
            public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => content.Length;
            public override long Position { get => _position; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }

    private sealed class Progress : ITransferObserver
    {
        public readonly ConcurrentQueue<(Digest Blob, long Position)> Reads = new();
        public readonly ConcurrentQueue<(Digest Blob, BlobPushOutcome Outcome)> Done = new();
        public readonly TaskCompletionSource<long> FirstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Read(Descriptor blob, long position)
        {
            Reads.Enqueue((blob.Digest, position));
            if (position > 0) FirstRead.TrySetResult(position);
        }
        public void BlobDone(Descriptor blob, BlobPushOutcome outcome) => Done.Enqueue((blob.Digest, outcome));
        public void ManifestDone(Digest digest, IReadOnlyList<string> tags) { }
    }

    private static OciImage ImageWith(IBlob layer, string name)
    {
        var config = new ImageConfig
        {
            Architecture = "amd64", Os = "linux", Config = new ContainerConfig { Cmd = ["/" + name] },
            RootFs = new RootFs { DiffIds = [layer.Descriptor.Digest] },
        };
        return OciImage.Create(config, [layer]);
    }

    [Fact]
    public async Task Cancelling_the_first_image_leaves_the_shared_upload_running_for_the_second_which_sees_its_own_progress()
    {
        await using var registry = await RegistryServer.StartAsync();
        var transport = new RecordingTransport();
        using var session = new RegistrySession(new RegistryClientOptions { TransportFactory = () => transport });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = new GatedBlob(RandomNumberGenerator.GetBytes(1 << 20), before: 64 << 10, gate.Task);
        var (first, second) = (ImageWith(shared, "one"), ImageWith(shared, "two"));
        var destination = (ITransferObserver o) => new RegistryDestination(ImageReference.Parse($"{registry.Host}/team/shared"), session, o);

        // Image one starts the layer's upload, which stalls after 64 KiB.
        var oneProgress = new Progress();
        using var cancelOne = new CancellationTokenSource();
        var one = destination(oneProgress).PublishAsync(first, ["one"], cancelOne.Token);
        await oneProgress.FirstRead.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // Image two joins the same transfer: its own observer is told how far it has got.
        var twoProgress = new Progress();
        var two = destination(twoProgress).PublishAsync(second, ["two"], default);
        Assert.Equal(64 << 10, await twoProgress.FirstRead.Task.WaitAsync(TimeSpan.FromSeconds(60)));

        // Cancelling image one ends image one only.
        cancelOne.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => one);
        Assert.False(two.IsCompleted);
        gate.SetResult();
        var result = await two.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(1, shared.Opens); // read once, sent once
        Assert.Equal(1, transport.Count("PUT", Uri.EscapeDataString(shared.Descriptor.Digest.ToString())));
        Assert.Contains((shared.Descriptor.Digest, BlobPushOutcome.Uploaded), twoProgress.Done);
        Assert.Equal(shared.Descriptor.Size, twoProgress.Reads.Where(r => r.Blob == shared.Descriptor.Digest).Max(r => r.Position));
        Assert.DoesNotContain(oneProgress.Done, d => d.Blob == shared.Descriptor.Digest);
        Assert.Equal(second.Digest.ToString(), await Skopeo.DigestAsync($"docker://{registry.Host}/team/shared:two"));
        Assert.Equal(second.Digest, result.Digest);
    }

    [Fact]
    public async Task When_every_caller_cancels_the_transfer_stops_and_a_later_push_starts_it_again()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var session = new RegistrySession(new RegistryClientOptions());
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blob = new GatedBlob(RandomNumberGenerator.GetBytes(256 << 10), before: 16 << 10, gate.Task);
        var progress = new Progress();
        using var cancel = new CancellationTokenSource();
        var push = session.EnsureBlobAsync(registry.Host, "team/alone", blob, cancel.Token, progress);
        await progress.FirstRead.Task.WaitAsync(TimeSpan.FromSeconds(60));
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => push);

        gate.SetResult();
        Assert.Equal(BlobPushOutcome.Uploaded, await session.EnsureBlobAsync(registry.Host, "team/alone", blob, default));
        Assert.Equal(2, blob.Opens);
    }
}
