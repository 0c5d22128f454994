using Slipway.Builder.Model;
using Slipway.Tooling;

namespace Slipway.Builder.Contracts;

/// <summary>One input or output of a known builder's contract and what Slipway does with it (the rows of docs/builder-contracts.md).</summary>
public sealed record ContractField(string Name, string Handling);

/// <summary>
/// A known builder's contract: the variables or fields its callers use, each mapped onto <see cref="BuildSpec"/> (or
/// its outputs mapped back). Validation is the spec's own; an adapter only renames and converts.
/// </summary>
public interface IBuilderContract
{
    string Name { get; }
    IReadOnlyList<ContractField> Fields { get; }
}

/// <summary>A contract spoken through environment variables (a Job's env): its names answered under Slipway's.</summary>
public interface IEnvironmentContract : IBuilderContract
{
    /// <summary>Slipway variable → the contract's variable that supplies it.</summary>
    IReadOnlyDictionary<string, string> Renames { get; }
}

/// <summary>The contracts Slipway answers, in one list (the builder container reads all of them).</summary>
public static class BuilderContracts
{
    public static readonly IReadOnlyList<IEnvironmentContract> Environment = [SinglePurposeContainerContract.Instance, KubernetesBuildahContract.Instance];
    public static readonly IReadOnlyList<IBuilderContract> All = [SinglePurposeContainerContract.Instance, KubernetesBuildahContract.Instance, QueueBuilderContract.Instance];

    /// <summary>
    /// The environment as Slipway's names see it: a Slipway variable that is unset takes the value of the contract
    /// variable that supplies it; both set to different values is one line naming both.
    /// </summary>
    public static Func<string, string?> Translate(Func<string, string?> get)
    {
        var renames = Environment.SelectMany(c => c.Renames).ToDictionary(kv => kv.Key, kv => kv.Value);
        return name =>
        {
            var own = get(name) is { Length: > 0 } v ? v : null;
            if (!renames.TryGetValue(name, out var other) || get(other) is not { Length: > 0 } theirs) return own;
            if (own is not null && own != theirs)
                throw new StepFailure("configure", FailureClass.Permanent, $"{name} and {other} are both set, to different values; set one of them");
            return theirs;
        };
    }
}
