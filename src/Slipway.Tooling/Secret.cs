namespace Slipway.Tooling;

/// <summary>
/// A secret value (token, password, signing key). Creating one registers it with <see cref="Secrets"/>, so every
/// line the process prints is redacted; <see cref="ToString"/> never shows it. Only <see cref="Reveal"/> does, at
/// the one place the value must go (an HTTP header, a child's environment).
/// </summary>
public sealed class Secret
{
    private readonly string _value;

    public Secret(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
        Secrets.Register(value);
    }

    public static Secret? FromNullable(string? value) => string.IsNullOrEmpty(value) ? null : new Secret(value);

    public string Reveal() => _value;

    public override string ToString() => Secrets.Mask;
}
