System.Console.WriteLine(Lib.Greeting.For("dotnet-console"));
