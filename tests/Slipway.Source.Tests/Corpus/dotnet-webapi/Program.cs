var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => $"hello from dotnet-webapi on .NET {Environment.Version.Major}");
app.Run();
