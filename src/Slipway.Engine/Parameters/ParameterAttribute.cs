namespace Slipway.Engine;

/// <summary>Marks a field or property as a build parameter: <c>--kebab-case</c>, an environment variable or parameters.json.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;
    /// <summary>Overrides the name (default: the member name).</summary>
    public string? Name { get; init; }
}

/// <summary>The parameter's value is a secret: it is redacted from every line of output.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
