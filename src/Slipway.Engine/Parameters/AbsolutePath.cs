namespace Slipway.Engine;

/// <summary>A path parameter, resolved against the root directory when given relative.</summary>
public sealed record AbsolutePath(string Path)
{
    public static implicit operator string(AbsolutePath p) => p.Path;
    public AbsolutePath Combine(string relative) => new(System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relative)));
    public static AbsolutePath operator /(AbsolutePath p, string relative) => p.Combine(relative);
    public override string ToString() => Path;
}
