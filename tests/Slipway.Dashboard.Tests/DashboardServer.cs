using System.Diagnostics;
using System.Net.Http;
using Slipway.Testing;

namespace Slipway.Dashboard.Tests;

/// <summary>The real app/server.js under node on a free loopback port, with its page built first; stopped on dispose.</summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly Process _node;
    public string Url { get; }

    private DashboardServer(Process node, string url) { _node = node; Url = url; }

    public static string AppDirectory { get; } = Path.Combine(FindRoot(), "app");

    /// <param name="apiToken">BUILDER_API_TOKEN: what the server sends the worker API.</param>
    /// <param name="dashboardToken">DASHBOARD_TOKEN: what the server asks of its own visitors.</param>
    public static async Task<DashboardServer> StartAsync(string? builderApi, string? imagesJson, string? tagsJson, string? apiToken = null, string? dashboardToken = null)
    {
        var node = Slipway.Tooling.ToolRunner.Which("node") ?? throw new InvalidOperationException("node is not on PATH; ./build.sh Setup installs nodejs");
        Run(node, "build.js");
        var port = FreePort.Next();
        var psi = new ProcessStartInfo(node, ["server.js"]) { WorkingDirectory = AppDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["PORT"] = port.ToString();
        psi.Environment["BUILDER_API"] = builderApi ?? "";
        psi.Environment["IMAGES_JSON"] = imagesJson ?? "/nonexistent/images.json";
        psi.Environment["TAGS_JSON"] = tagsJson ?? "";
        psi.Environment["BUILDER_API_TOKEN"] = apiToken ?? "";
        psi.Environment["DASHBOARD_TOKEN"] = dashboardToken ?? "";
        var process = Process.Start(psi)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try { if ((await http.GetAsync(url + "/healthz")).IsSuccessStatusCode) return new DashboardServer(process, url); }
            catch (HttpRequestException) { }
            if (process.HasExited) break;
            await Task.Delay(100);
        }
        process.Kill();
        throw new InvalidOperationException($"app/server.js did not answer on {url}");
    }

    private static void Run(string node, string script)
    {
        using var p = Process.Start(new ProcessStartInfo(node, [script]) { WorkingDirectory = AppDirectory, RedirectStandardOutput = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(entireProcessTree: true); throw new TimeoutException($"node {script} did not finish in 2 minutes"); }
        p.WaitForExit();
        _ = output.Result;
        if (p.ExitCode != 0) throw new InvalidOperationException($"node {script} failed ({p.ExitCode})");
    }

    public static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Slipway.slnx"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_node.HasExited) { _node.Kill(); await _node.WaitForExitAsync(); }
        _node.Dispose();
    }
}
