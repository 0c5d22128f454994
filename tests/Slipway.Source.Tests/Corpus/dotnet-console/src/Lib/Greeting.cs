namespace Lib;

public static class Greeting
{
    public static string For(string who) => $"hello from {who}";
}
