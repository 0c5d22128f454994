using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using Slipway.Builder.Model;

namespace Slipway.Builder.Executors.Kubernetes;

/// <summary>
/// The Job (and the per-build Secret) that runs one build: a pure function of the spec and the options, shared by
/// the executor and <c>slipway builder job --dry-run</c>, so what is reviewed is what runs. Nothing secret is in
/// the Job or the environment: secret variables are files of the per-build Secret mounted read-only (NAME_FILE),
/// registry credentials a mounted docker-config Secret. The pod runs under the RuntimeDefault seccomp profile.
/// </summary>
public static class BuildJobManifests
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "slipway-builder";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string BuildIdLabel = "slipway.dev/build-id";
    public const string TenantLabel = "slipway.dev/tenant";
    public const string ServiceLabel = "slipway.dev/service";
    public const string WorkerLabel = "slipway.dev/worker";
    /// <summary>The exact build id (labels may have had to shorten or clean it).</summary>
    public const string BuildIdAnnotation = "slipway.dev/build-id";

    public const string BuilderContainer = "builder";
    public const string TerminationMessagePath = "/dev/termination-log";
    public const string RegistryConfigDir = "/slipway/registry-auth";
    /// <summary>Where the per-build Secret's keys are files (0400), one per secret variable.</summary>
    public const string BuildSecretsDir = "/slipway/build-secrets";
    public const string ContainerStorageDir = "/var/lib/containers";

    /// <summary>Exactly these, on top of dropping ALL: what buildah needs for vfs storage with chroot isolation.</summary>
    public static readonly IReadOnlyList<string> BuilderCapabilities = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "SETFCAP", "SYS_CHROOT"];

    /// <summary>Shown in place of the Job's uid and secret values where none exist yet (dry-run).</summary>
    public const string Placeholder = "<set at creation>";

    /// <summary>The Job plus, when the spec carries secrets, its Secret (owner reference still to be filled in).</summary>
    public sealed record Manifests(V1Job Job, V1Secret? Secret);

    public static Manifests Create(BuildSpec spec, KubernetesExecutorOptions options)
    {
        var name = JobName(spec.BuildId);
        var labels = Labels(spec, options);
        // The builder-container contract, split: plain values into the Job, secret ones into the per-build Secret.
        var variables = BuildSpecEnvironment.ToEnvironment(spec);
        var secretValues = variables.Where(v => BuildSpecEnvironment.SecretNames.Contains(v.Key)).ToList();
        var secretName = secretValues.Count == 0 ? null : SecretName(name);

        var env = new List<V1EnvVar>();
        env.AddRange(variables.Where(v => !BuildSpecEnvironment.SecretNames.Contains(v.Key)).Select(v => Env(v.Key, v.Value)));
        // Secrets as files, not variables: the environment shows in /proc/PID/environ, crash dumps and child processes.
        env.AddRange(secretValues.Select(v => Env(v.Key + "_FILE", $"{BuildSecretsDir}/{v.Key}")));
        env.Add(Env(BuildOutcome.FileVariable, TerminationMessagePath));
        if (spec.GitToken is null && spec.GitHubApp is null && options.GitHubCredentialsSecret is { } fallback)
            env.Add(new V1EnvVar
            {
                Name = BuildSpecEnvironment.GitHubToken,
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = fallback, Key = "token", Optional = true } },
            });
        if (options.InsecureRegistries is { Length: > 0 } insecure) env.Add(Env("BUILDER_INSECURE_REGISTRIES", insecure));
        // Where a tenant build pushes by digest (the worker tags it after the Job); IMAGE_TAG builds name their own.
        if (options.Registry is { } registry) env.Add(Env("BUILDER_REGISTRY", registry));
        if (options.Policy is { } policy) env.AddRange(policy.ToEnvironment().Select(v => Env(v.Key, v.Value)));
        // buildah reads these: vfs needs no overlay mounts, chroot isolation needs no user namespaces or privileges.
        env.Add(Env("STORAGE_DRIVER", "vfs"));
        env.Add(Env("BUILDAH_ISOLATION", "chroot"));
        // The pod is the sandbox here: one pod per build, RuntimeDefault seccomp, the NetworkPolicy of
        // BuildNetworkPolicy. The step sandbox needs network namespaces the pod's capabilities do not grant.
        env.Add(Env("BUILDER_STEP_SANDBOX", "off"));
        if (options.RegistryConfigSecret is not null) env.Add(Env("DOCKER_CONFIG", RegistryConfigDir));

        var mounts = new List<V1VolumeMount> { new() { Name = "container-storage", MountPath = ContainerStorageDir } };
        var volumes = new List<V1Volume> { new() { Name = "container-storage", EmptyDir = new V1EmptyDirVolumeSource() } };
        if (secretName is not null)
        {
            mounts.Add(new V1VolumeMount { Name = "build-secrets", MountPath = BuildSecretsDir, ReadOnlyProperty = true });
            volumes.Add(new V1Volume { Name = "build-secrets", Secret = new V1SecretVolumeSource { SecretName = secretName, DefaultMode = 0x100 } }); // 0400
        }
        if (options.RegistryConfigSecret is { } registrySecret)
        {
            mounts.Add(new V1VolumeMount { Name = "registry-auth", MountPath = RegistryConfigDir, ReadOnlyProperty = true });
            volumes.Add(new V1Volume
            {
                Name = "registry-auth",
                Secret = new V1SecretVolumeSource
                {
                    SecretName = registrySecret,
                    DefaultMode = 0x124, // 0444
                    Items = [new V1KeyToPath { Key = ".dockerconfigjson", Path = "config.json" }],
                },
            });
        }

        var builder = new V1Container
        {
            Name = BuilderContainer,
            Image = options.Image,
            ImagePullPolicy = options.ImagePullPolicy,
            Command = [.. options.CommandArgs],
            Env = env,
            VolumeMounts = mounts,
            Resources = new V1ResourceRequirements { Limits = options.Limits.ToQuantities(), Requests = options.Requests.ToQuantities() },
            // The builder writes its BuildOutcome here; the kubelet copies it into the pod status.
            TerminationMessagePath = TerminationMessagePath,
            TerminationMessagePolicy = "File",
            SecurityContext = new V1SecurityContext
            {
                RunAsUser = 0,
                RunAsNonRoot = false,
                Privileged = false,
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Add = [.. BuilderCapabilities], Drop = ["ALL"] },
                SeccompProfile = Seccomp(options),
            },
        };

        var pod = new V1PodSpec
        {
            RestartPolicy = "Never",
            Containers = [builder],
            Volumes = volumes,
            ServiceAccountName = options.ServiceAccountName,
            // The builder never talks to the API server.
            AutomountServiceAccountToken = false,
            EnableServiceLinks = false,
            SecurityContext = new V1PodSecurityContext { SeccompProfile = Seccomp(options) },
            // One platform asked for: the Job runs on a node of that architecture and builds natively there (an
            // ARM64 k3s node builds linux/arm64 without qemu). Several: any node, the others are cross-built.
            NodeSelector = spec.Platforms is [var only]
                ? new Dictionary<string, string> { ["kubernetes.io/os"] = only.Os, ["kubernetes.io/arch"] = only.Architecture }
                : null,
        };

        var job = new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = options.Namespace,
                Labels = labels,
                Annotations = new Dictionary<string, string> { [BuildIdAnnotation] = spec.BuildId },
            },
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                ActiveDeadlineSeconds = options.ActiveDeadlineSeconds,
                TtlSecondsAfterFinished = options.TtlSecondsAfterFinished,
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(labels) }, Spec = pod },
            },
        };

        V1Secret? secret = null;
        if (secretName is not null)
            secret = new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Type = "Opaque",
                Metadata = new V1ObjectMeta
                {
                    Name = secretName,
                    NamespaceProperty = options.Namespace,
                    Labels = new Dictionary<string, string>(labels),
                    Annotations = new Dictionary<string, string> { [BuildIdAnnotation] = spec.BuildId },
                },
                Data = secretValues.ToDictionary(v => v.Key, v => Encoding.UTF8.GetBytes(v.Value)),
            };
        return new Manifests(job, secret);
    }

    /// <summary>
    /// Makes the Job the Secret's owner, so the garbage collector deletes the Secret with the Job. The Secret is
    /// created after the Job because the reference needs the Job's uid.
    /// </summary>
    public static V1Secret OwnedBy(V1Secret secret, V1Job job)
    {
        secret.Metadata.OwnerReferences =
        [
            new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = job.Metadata.Name, Uid = job.Metadata.Uid ?? Placeholder },
        ];
        return secret;
    }

    private static V1SeccompProfile Seccomp(KubernetesExecutorOptions options) =>
        options.SeccompProfile.StartsWith("Localhost:", StringComparison.Ordinal)
            ? new V1SeccompProfile { Type = "Localhost", LocalhostProfile = options.SeccompProfile["Localhost:".Length..] }
            : new V1SeccompProfile { Type = options.SeccompProfile };

    private static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    public static Dictionary<string, string> Labels(BuildSpec spec, KubernetesExecutorOptions options)
    {
        var labels = new Dictionary<string, string>
        {
            [ManagedByLabel] = ManagedByValue,
            [ComponentLabel] = "build",
            [BuildIdLabel] = LabelValue(spec.BuildId),
            [WorkerLabel] = WorkerLabelValue(options),
        };
        if (spec.Tenant is { } tenant) labels[TenantLabel] = LabelValue(tenant);
        if (spec.Service is { } service) labels[ServiceLabel] = LabelValue(service);
        return labels;
    }

    public static string WorkerLabelValue(KubernetesExecutorOptions options) => LabelValue(options.WorkerId);

    /// <summary>The label selector of every Job this worker started: what the start-up sweep deletes.</summary>
    public static string WorkerSelector(KubernetesExecutorOptions options) =>
        $"{ManagedByLabel}={ManagedByValue},{WorkerLabel}={WorkerLabelValue(options)}";

    /// <summary>
    /// "slipway-build-" + the build id as a DNS-1123 label (at most 63 characters, so the pods' job-name label fits).
    /// When the id had to be changed (case, characters, length) a hash of the original keeps names distinct.
    /// </summary>
    public static string JobName(string buildId)
    {
        const string prefix = "slipway-build-";
        var cleaned = Clean(buildId.ToLowerInvariant(), c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9'), '-');
        return Fit(prefix + cleaned, changed: cleaned.Length == 0 || cleaned != buildId || (prefix + cleaned).Length > 63, buildId);
    }

    public static string SecretName(string jobName) => jobName + "-env";

    /// <summary>A label value: at most 63 of [A-Za-z0-9-_.], starting and ending alphanumeric; hashed when changed.</summary>
    public static string LabelValue(string value)
    {
        var cleaned = Clean(value, c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_', '-');
        if (cleaned.Length == 0) return Hash(value);
        return Fit(cleaned, changed: cleaned != value || cleaned.Length > 63, value);
    }

    /// <summary>Keeps allowed characters, turns runs of others into one <paramref name="separator"/>, trims separators.</summary>
    private static string Clean(string value, Func<char, bool> allowed, char separator)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (allowed(c) || c == separator) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != separator) sb.Append(separator);
        }
        return sb.ToString().Trim(separator, '.', '_');
    }

    private static string Fit(string name, bool changed, string original)
    {
        if (!changed) return name;
        var hash = Hash(original);
        var room = 63 - hash.Length - 1;
        var head = name.Length > room ? name[..room] : name;
        return head.TrimEnd('-', '.', '_') + "-" + hash;
    }

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..10];

    /// <summary>The Job and Secret as one YAML stream (documents separated by ---), secret values masked.</summary>
    public static string ToYaml(Manifests manifests)
    {
        var docs = new List<string> { KubernetesYaml.Serialize(manifests.Job) };
        if (manifests.Secret is { } secret)
        {
            var shown = new V1Secret
            {
                ApiVersion = secret.ApiVersion,
                Kind = secret.Kind,
                Type = secret.Type,
                Metadata = secret.Metadata,
                StringData = secret.Data.ToDictionary(kv => kv.Key, _ => Placeholder),
            };
            docs.Add(KubernetesYaml.Serialize(OwnedBy(shown, manifests.Job)));
        }
        return string.Join("---\n", docs.Select(d => d.EndsWith('\n') ? d : d + "\n"));
    }
}
