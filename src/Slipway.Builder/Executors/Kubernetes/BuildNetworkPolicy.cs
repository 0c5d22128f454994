using k8s.Models;

namespace Slipway.Builder.Executors.Kubernetes;

/// <summary>
/// The NetworkPolicy for build pods (every pod the executor starts carries the managed-by and component labels):
/// no ingress; egress only to DNS (kube-dns), the registry's range when the operator names one, and addresses
/// outside <see cref="KubernetesExecutorOptions.DeniedEgress"/>, so a build step reaches package registries but
/// not the cluster's pods and services, the nodes or the cloud metadata endpoint. It is per namespace, not per
/// build: the operator applies it once (<c>slipway builder job --dry-run</c> prints it); a cluster whose network
/// plugin ignores NetworkPolicy enforces nothing.
/// </summary>
public static class BuildNetworkPolicy
{
    public const string Name = "slipway-build-egress";

    public static V1NetworkPolicy Create(KubernetesExecutorOptions options)
    {
        var denied = options.DeniedEgressNetworks;
        static bool IsV6(string cidr) => cidr.Contains(':');
        var egress = new List<V1NetworkPolicyEgressRule>
        {
            new()
            {
                To = [new V1NetworkPolicyPeer
                {
                    NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" } },
                    PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } },
                }],
                Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 }],
            },
            new()
            {
                To =
                [
                    new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = [.. denied.Where(c => !IsV6(c))] } },
                    new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "::/0", Except = [.. denied.Where(IsV6)] } },
                ],
            },
        };
        if (options.RegistryNetwork is { } registry)
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = registry } }],
                Ports = [new V1NetworkPolicyPort { Protocol = "TCP", Port = options.RegistryPort }],
            });
        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                NamespaceProperty = options.Namespace,
                Labels = new Dictionary<string, string> { [BuildJobManifests.ManagedByLabel] = BuildJobManifests.ManagedByValue },
            },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector
                {
                    MatchLabels = new Dictionary<string, string>
                    {
                        [BuildJobManifests.ManagedByLabel] = BuildJobManifests.ManagedByValue,
                        [BuildJobManifests.ComponentLabel] = "build",
                    },
                },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = [],
                Egress = egress,
            },
        };
    }
}
