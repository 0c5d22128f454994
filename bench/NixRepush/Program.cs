// Usage: NixRepush ROOT IMAGE DESTINATION   (e.g. /tmp/repo closure 127.0.0.1:5000/bench/slipway)
// Builds containers/IMAGE/default.nix with Slipway's Nix method and pushes it; layers stream from the store.
using System.Diagnostics;
using Slipway.Images.Methods;
using Slipway.Nix;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;

var (root, name, destination) = (args[0], args[1], args[2]);
var clock = Stopwatch.StartNew();
var method = new NixMethod();
var definition = (await method.DiscoverAsync(root, CancellationToken.None)).Single(d => d.Name == name);
var work = Directory.CreateTempSubdirectory("nix-repush-");
try
{
    var context = new BuildContext { Root = root, WorkDirectory = work.FullName, Log = _ => { } };
    var image = await method.BuildAsync(definition, context, CancellationToken.None);
    var built = clock.Elapsed;
    using var session = new RegistrySession(new RegistryClientOptions());
    var result = await new RegistryDestination(ImageReference.Parse(destination), session).PublishAsync(image, ["latest"], CancellationToken.None);
    Console.WriteLine($"digest={result.Digest} build_s={built.TotalSeconds:F2} total_s={clock.Elapsed.TotalSeconds:F2} uploaded={result.BlobsUploaded} skipped={result.BlobsSkipped} bytes={result.BytesUploaded} layers={image.Layers.Count}");
}
finally
{
    work.Delete(recursive: true);
}
