using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using k8s.Models;
using Slipway.Testing;

namespace Slipway.Builder.Tests.Kubernetes;

/// <summary>
/// Runs the Jobs a <see cref="FakeKubernetesApiServer"/> receives the way a Job controller and a kubelet would,
/// but as local processes (no container runtime or cluster can run here): for each Job it waits for the Secrets
/// its env references (CreateContainerConfigError meanwhile, as a kubelet reports), materialises the mounted
/// Secrets and emptyDirs as files in a temp dir, runs the builder container's command with the image's env plus the
/// pod's env (secretKeyRef resolved), reports Running, collects the process's output as the pod log, and at exit
/// reports the exit code and the termination message file (at most 4096 bytes) and completes or fails the Job.
/// Deleting the Job kills its process (SIGTERM, then SIGKILL after the grace period), as deleting a pod does.
/// What it does not do: images (the command runs on this host; <see cref="Commands"/> maps the image's executables
/// to local ones), isolation, resource limits, activeDeadlineSeconds, sidecars. Container paths (mount paths, the
/// termination message path) are mapped to the temp dir, and env values naming them are rewritten to match.
/// </summary>
public sealed class FakeKubelet : IAsyncDisposable
{
    private readonly FakeKubernetesApiServer _api;
    private readonly TempDir _dir = new("fakekubelet");
    private readonly ConcurrentDictionary<string, Pod> _pods = new();
    private readonly CancellationTokenSource _stop = new();

    private sealed class Pod
    {
        public required string JobName;
        public Process? Process;
        public Task Run = Task.CompletedTask;
        public readonly CancellationTokenSource Deleted = new();
    }

    public FakeKubelet(FakeKubernetesApiServer api)
    {
        _api = api;
        api.JobCreated = job => StartPod(job);
        api.JobDeleted = job => { if (_pods.TryGetValue(job.Metadata.Name, out var pod)) pod.Deleted.Cancel(); };
    }

    /// <summary>The image's executables as local commands, e.g. slipway-builder → [dotnet, /path/slipway-builder.dll].</summary>
    public Dictionary<string, string[]> Commands { get; } = new();
    /// <summary>The image's own environment (its ENV lines), under the pod's.</summary>
    public Dictionary<string, string> ImageEnvironment { get; } = new();
    /// <summary>Holds a started pod in Running before its process starts, until the task completes (for a cancel test).</summary>
    public Func<string, Task> BeforeProcessStart { get; set; } = _ => Task.CompletedTask;
    public TimeSpan TerminationGrace { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Jobs deleted before their process ended (the process was killed, or never started while held).</summary>
    public ConcurrentQueue<string> Killed { get; } = new();
    /// <summary>Names of the Jobs whose processes ran to exit, with their exit codes.</summary>
    public ConcurrentDictionary<string, int> Exits { get; } = new();
    /// <summary>Failures of the fake itself (a test asserts there are none).</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    private void StartPod(V1Job job)
    {
        var pod = new Pod { JobName = job.Metadata.Name };
        _pods[pod.JobName] = pod;
        pod.Run = Task.Run(async () =>
        {
            try { await RunPodAsync(job, pod); }
            catch (Exception) when (pod.Deleted.IsCancellationRequested || _stop.IsCancellationRequested) { }
            catch (Exception e) { Errors.Enqueue($"{pod.JobName}: {e}"); }
        });
    }

    private async Task RunPodAsync(V1Job job, Pod pod)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(pod.Deleted.Token, _stop.Token);
        var ct = stop.Token;
        var spec = job.Spec.Template.Spec;
        var container = spec.Containers.Single(c => c.Name == "builder");
        var root = _dir.Combine(pod.JobName);
        Directory.CreateDirectory(root);

        // 1. Env references to Secrets: the container cannot be created until they exist.
        var env = new Dictionary<string, string>(ImageEnvironment);
        string? reported = null;
        // Secret volumes too: the kubelet retries the mount until the Secret exists (the executor creates it after the Job).
        while ((container.Env ?? []).Where(e => e.ValueFrom?.SecretKeyRef is { } r && _api.Secret(r.Name) is null).Select(e => e.ValueFrom.SecretKeyRef.Name)
                   .Concat((spec.Volumes ?? []).Where(v => v.Secret is { } s && _api.Secret(s.SecretName) is null).Select(v => v.Secret.SecretName)).FirstOrDefault() is { } missing)
        {
            if (missing != reported) _api.PodWaiting(pod.JobName, "CreateContainerConfigError", $"secret \"{missing}\" not found");
            reported = missing;
            await Task.Delay(50, ct); // the kubelet retries too
        }

        // 2. Volumes as directories; container paths mapped into the pod's temp dir.
        var paths = new List<(string Container, string Local)>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var local = Path.Combine(root, "volumes", mount.Name);
            Directory.CreateDirectory(local);
            var volume = spec.Volumes.Single(v => v.Name == mount.Name);
            if (volume.Secret is { } source)
            {
                var secret = _api.Secret(source.SecretName) ?? throw new InvalidOperationException($"secret volume {source.SecretName} not found");
                var data = SecretData(secret);
                foreach (var item in source.Items ?? data.Keys.Select(k => new V1KeyToPath { Key = k, Path = k }).ToList())
                {
                    var file = Path.Combine(local, item.Path);
                    await File.WriteAllBytesAsync(file, data[item.Key], ct);
                    if ((item.Mode ?? source.DefaultMode) is { } mode) File.SetUnixFileMode(file, (UnixFileMode)mode);
                }
            }
            paths.Add((mount.MountPath, local));
        }
        var terminationLog = Path.Combine(root, "termination-log");
        File.WriteAllText(terminationLog, "");
        paths.Add((container.TerminationMessagePath ?? "/dev/termination-log", terminationLog));
        string Mapped(string value) =>
            paths.Where(p => value == p.Container || value.StartsWith(p.Container + "/", StringComparison.Ordinal))
                .Select(p => p.Local + value[p.Container.Length..]).FirstOrDefault() ?? value;

        foreach (var e in container.Env ?? [])
            env[e.Name] = e.ValueFrom?.SecretKeyRef is { } r ? Encoding.UTF8.GetString(SecretData(_api.Secret(r.Name)!)[r.Key]) : Mapped(e.Value ?? "");

        // 3. The process: the command's executable from the map, the env above (plus PATH and HOME, as an image has).
        var command = container.Command.Concat(container.Args ?? []).ToList();
        var executable = Commands.TryGetValue(command[0], out var local0) ? local0 : [command[0]];
        var psi = new ProcessStartInfo(executable[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var a in executable.Skip(1).Concat(command.Skip(1))) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        psi.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        psi.Environment["HOME"] = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        foreach (var (k, v) in env) psi.Environment[k] = v;

        var podName = _api.PodRunning(pod.JobName).Metadata.Name;
        try { await BeforeProcessStart(pod.JobName).WaitAsync(ct); }
        catch (OperationCanceledException) { Killed.Enqueue(pod.JobName); return; }
        var log = new List<string>();
        void Line(string? l) { if (l is null) return; lock (log) log.Add(l); _api.AppendLog(podName, l); }
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Start();
        pod.Process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // The pod was deleted (or the fake stops): SIGTERM, the grace period, then SIGKILL.
            Killed.Enqueue(pod.JobName);
            if (!process.HasExited) kill(process.Id, 15);
            try { await process.WaitForExitAsync(new CancellationTokenSource(TerminationGrace).Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(); }
            return;
        }
        process.WaitForExit(); // the output events have all been raised
        Exits[pod.JobName] = process.ExitCode;
        var message = Encoding.UTF8.GetString(File.ReadAllBytes(terminationLog).Take(4096).ToArray());
        List<string> lines;
        lock (log) lines = [.. log];
        if (_api.HasJob(pod.JobName)) _api.PodFinished(pod.JobName, process.ExitCode, message.Length == 0 ? null : message, lines);
    }

    private static IDictionary<string, byte[]> SecretData(V1Secret secret) =>
        secret.Data ?? secret.StringData?.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value)) ?? new Dictionary<string, byte[]>();

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var pod in _pods.Values)
        {
            try { await pod.Run.WaitAsync(TimeSpan.FromSeconds(60)); } catch (Exception) { }
            try { if (pod.Process is { HasExited: false } p) p.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { } // already disposed: it ran to its end
        }
        _api.JobCreated = null;
        _api.JobDeleted = null;
        _dir.Dispose();
        _stop.Dispose();
    }
}
