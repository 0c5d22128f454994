using Slipway.Builder.Model;
using Slipway.Oci.Model;
using Slipway.Oci.Publishing;
using Slipway.Oci.Registry;
using Slipway.Oci.Registry.Auth;

namespace Slipway.Builder.Running;

/// <summary>One place that turns a spec's destination and registry credentials into an <see cref="IImageDestination"/>.</summary>
public static class ImageDestinations
{
    public static RegistrySession Session(BuildSpec spec, string? registryHost, IReadOnlyCollection<string>? insecureRegistries = null)
    {
        var keychain = Keychain.Default();
        // The spec's pair is for IMAGE_TAG's (or the worker's) registry only: never offered to another host.
        if (spec.RegistryUser is { } user && spec.RegistryPassword is { } password && registryHost is not null)
            keychain = keychain.Prepend(ExplicitCredentials.ForHost(registryHost, new RegistryCredential(user, password.Reveal(), Source: "REGISTRY_USER/REGISTRY_PASSWORD")));
        return new RegistrySession(new RegistryClientOptions { Keychain = keychain, InsecureRegistries = insecureRegistries ?? [] });
    }

    /// <summary>
    /// Where the spec publishes: tenant naming under <paramref name="registry"/> (by digest, no tag: the version
    /// comes later) or IMAGE_TAG (docker://HOST/REPO:TAG, HOST/REPO:TAG or oci:DIR:TAG, tagged on push).
    /// </summary>
    public static (IImageDestination Destination, IReadOnlyList<string> Tags, string? RegistryHost) Destination(BuildSpec spec, string? registry, Func<string?, RegistrySession> session)
    {
        if (spec.ImageTag is { } target)
        {
            // The OCI core's one parser and colon rule: oci:a:b:c is directory a, tag b:c (as skopeo and `slipway copy` read it).
            if (!TransportReference.TryParse(target, bareIsRegistry: true, out var parsed, out var error))
                throw Bad($"IMAGE_TAG '{target}' is not an image reference ({error}); use HOST/REPO:TAG or oci:DIR:TAG");
            switch (parsed!.Transport)
            {
                case ImageTransport.Layout:
                    if (parsed.Ref is null) throw Bad($"IMAGE_TAG '{target}' needs a tag: oci:DIR:TAG");
                    if (ImageReference.ExplainInvalidTag(parsed.Ref) is { } tagError) throw Bad($"IMAGE_TAG '{target}' is directory '{parsed.Path}' with tag '{parsed.Ref}': {tagError}");
                    return (new OciLayoutDestination(parsed.Path!), [parsed.Ref], null);
                case ImageTransport.Registry:
                    var reference = parsed.Registry!;
                    if (reference.Digest is not null) throw Bad($"IMAGE_TAG '{target}' names a digest; a destination takes a tag: HOST/REPO:TAG");
                    return (new RegistryDestination(reference, session(reference.Registry)), [reference.Tag ?? "latest"], reference.Registry);
                default:
                    throw Bad($"IMAGE_TAG '{target}' is not a destination; use HOST/REPO:TAG or oci:DIR:TAG");
            }
        }
        if (registry is null) throw Bad("TENANT/SERVICE need a registry: set BUILDER_REGISTRY / --registry to HOST[:PORT][/NAMESPACE]");
        var repo = Tenants.TenantNaming.Repository(registry, spec.Tenant!, spec.Service!);
        return (new RegistryDestination(repo, session(repo.Registry)), [], repo.Registry);
    }

    /// <summary>What a push to <paramref name="destination"/> published: its repository (registry name without the
    /// transport, or <c>oci:DIR</c>), the first tag, the digest.</summary>
    public static Model.PublishedImage Published(IImageDestination destination, IReadOnlyList<string> tags, Digest digest) =>
        new(destination is RegistryDestination registry ? registry.Repository.Name : destination.Name, tags.Count > 0 ? tags[0] : null, digest.ToString());

    private static Slipway.Tooling.StepFailure Bad(string message) => new("configure", Slipway.Tooling.FailureClass.Permanent, message);
}
