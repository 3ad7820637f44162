using System.Text.Json.Nodes;
using V2V.Cli.Commands;

namespace V2V.Cli.Tests;

/// <summary><c>v2v serve</c> tells a user whose key is refused which variable to set: the one the key was read from.</summary>
public sealed class ServeKeyFixTests
{
    [Theory]
    [InlineData(null, null, "OPENAI_API_KEY")]
    [InlineData("azure", null, "AZURE_OPENAI_API_KEY")]
    [InlineData(null, "MY_KEY", "MY_KEY")]
    [InlineData("azure", "MY_AZURE_KEY", "MY_AZURE_KEY")]
    public void RefusedKey_NamesTheVariableTheKeyIsReadFrom(string? vendor, string? keyVariable, string expected)
    {
        var properties = new JsonObject();

        Assert.True(ServeBackend.TryConfigure(properties, _ => null, keyVariable, vendor, null, null, null, [], TextWriter.Null, out var readKeyFrom));

        Assert.Equal(expected, readKeyFrom);
        Assert.Equal($"${{env:{expected}|}}", (string?)properties["api_key"]);
        Assert.StartsWith($"Set {expected} to a valid key", ServeBackend.RefusedKeyFix(readKeyFrom), StringComparison.Ordinal);
    }
}
