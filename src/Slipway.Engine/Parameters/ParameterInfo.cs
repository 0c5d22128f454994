namespace Slipway.Engine.Parameters;

/// <summary>A declared parameter, as the schema and --help see it.</summary>
public sealed record ParameterInfo(string Name, Type Type, string? Description, bool IsSecret);
