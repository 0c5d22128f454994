// Builds the bases of containers/base-images.yml twice in one run, into two fresh output directories with the
// same warm .deb cache: "separate" (each base its own debootstrap, one layer: the way before) and "shared
// minbase" (debootstrap once; each base is the minbase layer plus one layer of its packages). Prints wall time,
// layers, and the bytes a registry stores (distinct blobs over all bases) and a client pulls for all of them.
using System.Diagnostics;
using Slipway.Images.BaseImages;
using Slipway.Oci.Layout;

var root = args.Length > 0 ? Path.GetFullPath(args[0]) : Directory.GetCurrentDirectory();
var work = args.Length > 1 ? Path.GetFullPath(args[1]) : "/var/tmp/slipway-bench-bases";
var order = args.Length > 2 ? args[2].Split(',') : ["separate", "shared"];
var catalog = BaseImageCatalog.Load(root);
var cache = Path.Combine(work, "debs");
Directory.CreateDirectory(cache);
var date = await BaseImageCatalog.LastChangedAsync(root, default);
Console.WriteLine($"| way | wall time | images | layers (total) | distinct blob bytes (stored once by a registry) | sum of image sizes |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var way in order)
{
    var output = Path.Combine(work, way);
    if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
    var c = catalog with { OutputDirectory = output };
    var sw = Stopwatch.StartNew();
    var results = await new BaseImageBuilder(c).BuildAllAsync(null, new BaseImageBuildOptions
    {
        SourceDate = date, CacheDirectory = cache, SharedMinbase = way == "shared", Force = true,
        Log = l => Console.Error.WriteLine($"[{way} {sw.Elapsed.TotalSeconds,6:F1}s] {l}"),
    }, default);
    var elapsed = sw.Elapsed;
    var blobs = new Dictionary<string, long>();
    long sum = 0; var layers = 0;
    foreach (var r in results)
    {
        var image = OciLayout.Open(r.LayoutPath).ReadImage(BaseImageCatalog.Ref);
        foreach (var l in image.Layers) { blobs[l.Descriptor.Digest.ToString()] = l.Descriptor.Size; sum += l.Descriptor.Size; layers++; }
    }
    Console.WriteLine($"| {(way == "shared" ? "shared minbase (now)" : "separate debootstraps (before)")} | {elapsed.TotalSeconds:F0} s | {results.Count} | {layers} | {blobs.Values.Sum() / 1048576.0:F1} MiB | {sum / 1048576.0:F1} MiB |");
}
