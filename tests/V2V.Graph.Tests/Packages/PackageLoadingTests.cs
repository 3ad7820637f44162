using System.Runtime.Loader;
using V2V.Graph.Definition;
using V2V.Graph.Hosting;
using V2V.Graph.Tests.Support;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Graph.Tests.Packages;

/// <summary>
/// A real extension package (tests/V2V.SamplePackage, built beside the tests into sample_package/ and not referenced)
/// laid out as TEN does, ten_packages/extension/sample_tool/, and loaded by the host.
/// </summary>
public sealed class PackageLoadingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void LayOutSamplePackage(TempDirectory app)
    {
        var package = Directory.CreateDirectory(Path.Combine(app.Path, "ten_packages", "extension", "sample_tool")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "sample_package")))
        {
            File.Copy(file, Path.Combine(package, Path.GetFileName(file)));
        }
    }

    [Fact]
    public async Task APackagedExtension_LoadsInItsOwnContext_WithTheHostsContracts_AndItsDefaultsUnderTheNodesProperty()
    {
        using var app = new TempDirectory();
        LayOutSamplePackage(app);
        var registry = new AddonRegistry().AddBuiltIns().Add(TestAddon.Create(Probe.Addon, () => new Probe(new Journal()))).AddPackages(app.Path);
        var graph = GraphJson.Parse("""
            { "nodes": [ { "name": "v2v", "addon": "probe" }, { "name": "tool", "addon": "sample_tool" }, { "name": "told", "addon": "sample_tool", "property": { "greeting": "from the graph" } } ],
              "connections": [ { "extension": "v2v", "cmd": [ { "name": "tool_call", "dest": [ { "extension": "tool" } ] } ] } ] }
            """);

        await using var running = await new GraphHost(registry).StartAsync(graph, Ct);
        var v2v = await running.Get<Probe>("v2v").Env;
        var call = new Cmd("tool_call");
        call.Set("name", "sample_greet");
        var result = await v2v.SendCmdAsync(call, Ct);

        var extension = running.GetExtension("tool");
        var context = AssemblyLoadContext.GetLoadContext(extension.GetType().Assembly);
        Assert.NotSame(AssemblyLoadContext.Default, context);
        Assert.Equal("ten_package:sample_tool", context!.Name);
        // The package's folder holds its own copy of V2V.Ten.dll; the Extension it derives from is still the host's.
        Assert.True(File.Exists(Path.Combine(app.Path, "ten_packages", "extension", "sample_tool", "V2V.Ten.dll")));
        Assert.Same(typeof(Extension).Assembly, extension.GetType().BaseType!.Assembly);
        Assert.Equal("hello from the package", result.Properties["tool_result"]!["content"]!.GetValue<string>());
        var told = running.GetExtension("told");
        Assert.Equal("from the graph", told.GetType().GetProperty("Greeting")!.GetValue(told));
    }

    [Fact]
    public void PackagesOfOtherLanguages_AreNotErrors_ButAGraphUsingThemIsToldWhy()
    {
        using var app = new TempDirectory();
        var python = Directory.CreateDirectory(Path.Combine(app.Path, "ten_packages", "extension", "weatherapi_tool_python")).FullName;
        File.WriteAllText(Path.Combine(python, "manifest.json"), """{ "type": "extension", "name": "weatherapi_tool_python", "version": "0.1.0" }""");
        File.WriteAllText(Path.Combine(python, "extension.py"), "# the TEN runtime runs this");
        var registry = new AddonRegistry().AddBuiltIns().AddPackages(app.Path);

        var ex = Assert.Throws<GraphValidationException>(() => new GraphHost(registry).Validate(GraphJson.Parse("""{ "nodes": [ { "name": "weather", "addon": "weatherapi_tool_python" } ] }""")));

        var problem = Assert.Single(ex.Problems);
        Assert.Contains("is a Python extension, which needs the TEN runtime", problem, StringComparison.Ordinal);
        Assert.Contains("--bind weather=ADDON", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ABrokenDotNetPackage_IsReported_NamingItsFolder()
    {
        using var app = new TempDirectory();
        var broken = Directory.CreateDirectory(Path.Combine(app.Path, "ten_packages", "extension", "broken")).FullName;
        File.WriteAllText(Path.Combine(broken, "manifest.json"), """{ "type": "extension", "name": "broken" }""");
        File.WriteAllText(Path.Combine(broken, "broken.dll"), "not an assembly");
        var bad = Directory.CreateDirectory(Path.Combine(app.Path, "ten_packages", "extension", "bad_manifest")).FullName;
        File.WriteAllText(Path.Combine(bad, "manifest.json"), """{ "type": "extension" }""");

        var ex = Assert.Throws<GraphValidationException>(() => new AddonRegistry().AddPackages(app.Path));

        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.Contains(Path.Combine("ten_packages", "extension", "broken"), StringComparison.Ordinal) && p.Contains("no public, non-abstract V2V.Ten.Extension", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("bad_manifest", StringComparison.Ordinal) && p.Contains("\"name\" is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void TheOriginalsAddonName_ResolvesToOpenAIV2V_OnceThatIsRegistered()
    {
        var registry = new AddonRegistry().AddBuiltIns();

        Assert.False(registry.TryGet(AddonRegistry.PythonV2VAlias, out _));
        Assert.Contains("another name of 'openai_v2v', which is not registered", registry.WhyUnknown(AddonRegistry.PythonV2VAlias), StringComparison.Ordinal);
        registry.Add(StandInV2V.Addon());
        Assert.True(registry.TryGet(AddonRegistry.PythonV2VAlias, out var addon));
        Assert.Equal("openai_v2v", addon.Name);
    }
}
