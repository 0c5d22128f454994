using System.Diagnostics;
using Slipway.Oci.Layout;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;

// usage: RegistryPush OCI_DIR REF HOST/REPO [runs]
// Pushes the layout's image, then re-pushes it `runs` times in the same process: the first push pays the
// process's JIT and connection set-up, the re-pushes show what a no-op costs inside a build run.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: RegistryPush OCI_DIR REF HOST/REPO [runs]");
    return 2;
}
var runs = args.Length > 3 ? int.Parse(args[3]) : 10;
var sw = Stopwatch.StartNew();
var image = OciLayout.Open(args[0]).ReadImage(args[1]);
using var session = new RegistrySession(new RegistryClientOptions());
var destination = new RegistryDestination(ImageReference.Parse(args[2]), session);
var first = await destination.PublishAsync(image, ["latest"], default);
Console.WriteLine($"first push in this process: {sw.Elapsed.TotalSeconds:0.000} s ({first.BlobsUploaded} uploaded, {first.BlobsSkipped} skipped)");
var times = new List<double>();
for (var i = 0; i < runs; i++)
{
    sw.Restart();
    await destination.PublishAsync(image, ["latest"], default);
    times.Add(sw.Elapsed.TotalMilliseconds);
}
times.Sort();
Console.WriteLine($"no-op re-push, warm process: best {times[0]:0.0} ms, median {times[times.Count / 2]:0.0} ms over {runs}");
return 0;
