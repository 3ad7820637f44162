using V2V.Cli.Commands;
using YamlDotNet.RepresentationModel;

namespace V2V.Cli.Tests.ScaleOut;

/// <summary>
/// deploy/k8s parses as Kubernetes objects and holds together: the probes are the node's health routes, the grace
/// period covers preStop plus the drain deadline the container is given, the Service selects the Deployment's pods,
/// the Secret it reads exists, and the container's arguments are ones <c>v2v serve</c> accepts.
/// </summary>
public sealed class KubernetesExampleTests
{
    private static readonly string Folder = Path.Combine(RepositoryFiles.Root(), "deploy", "k8s");

    [Fact]
    public void Deployment_ProbesHealthRoutes_AndItsGracePeriodCoversPreStopAndTheDrainDeadline()
    {
        var pod = Object("Deployment").Path("spec", "template", "spec");
        var container = (YamlMappingNode)pod.Seq("containers").Children.Single();

        Assert.Equal("/readyz", container.Path("readinessProbe", "httpGet").Scalar("path"));
        Assert.Equal("/healthz", container.Path("livenessProbe", "httpGet").Scalar("path"));
        var args = container.Seq("args").Children.Select(a => ((YamlScalarNode)a).Value!).ToArray();
        var drain = int.Parse(args[Array.IndexOf(args, "--drain-timeout") + 1], System.Globalization.CultureInfo.InvariantCulture);
        var preStop = container.Path("lifecycle", "preStop", "exec").Seq("command").Children.Select(c => ((YamlScalarNode)c).Value!).ToArray();
        Assert.Equal("sleep", preStop[0]);
        var grace = int.Parse(pod.Scalar("terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(grace > int.Parse(preStop[1], System.Globalization.CultureInfo.InvariantCulture) + drain,
            $"terminationGracePeriodSeconds {grace} must exceed preStop {preStop[1]} s + --drain-timeout {drain} s, or the kubelet kills live sessions");
    }

    [Fact]
    public void ContainerArguments_AreOnesServeAccepts()
    {
        var container = (YamlMappingNode)Object("Deployment").Path("spec", "template", "spec").Seq("containers").Children.Single();
        var args = container.Seq("args").Children.Select(a => ((YamlScalarNode)a).Value!).ToArray();

        Assert.Equal("serve", args[0]);
        var parsed = ServeCommand.Create().Parse(args[1..]);
        Assert.Empty(parsed.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Service_SelectsTheDeploymentsPods_AndTheSecretItReadsExists()
    {
        var deployment = Object("Deployment");
        var labels = deployment.Path("spec", "template", "metadata", "labels");
        var selector = Object("Service").Path("spec", "selector");
        Assert.NotEmpty(selector.Children);
        foreach (var (key, value) in selector.Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, labels.Scalar(((YamlScalarNode)key).Value!));
        }

        var container = (YamlMappingNode)deployment.Path("spec", "template", "spec").Seq("containers").Children.Single();
        var secretName = ((YamlMappingNode)container.Seq("envFrom").Children.Single()).Path("secretRef").Scalar("name");
        var secret = Object("Secret");
        Assert.Equal(secretName, secret.Path("metadata").Scalar("name"));
        var keys = secret.Path("stringData").Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        Assert.Contains("V2V_PLAYGROUND_TOKEN", keys);
        Assert.Contains("OPENAI_API_KEY", keys);
    }

    // The one object of this kind among deploy/k8s/*.yaml (each file may hold several documents).
    private static YamlMappingNode Object(string kind)
    {
        var documents = new List<YamlMappingNode>();
        foreach (var file in Directory.GetFiles(Folder, "*.yaml"))
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            documents.AddRange(stream.Documents.Select(d => (YamlMappingNode)d.RootNode));
        }
        Assert.All(documents, d => Assert.False(string.IsNullOrEmpty(d.Scalar("apiVersion")), "every object names its apiVersion"));
        return Assert.Single(documents, d => d.Scalar("kind") == kind);
    }
}

/// <summary>Reading a parsed YAML tree by key, failing with the missing key's name.</summary>
internal static class YamlPaths
{
    public static YamlMappingNode Path(this YamlMappingNode node, params string[] keys)
    {
        foreach (var key in keys)
        {
            node = node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map
                ? map
                : throw new Xunit.Sdk.XunitException($"no mapping '{key}' in {node}");
        }
        return node;
    }

    public static YamlSequenceNode Seq(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence
            ? sequence
            : throw new Xunit.Sdk.XunitException($"no list '{key}' in {node}");

    public static string Scalar(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode scalar
            ? scalar.Value!
            : throw new Xunit.Sdk.XunitException($"no value '{key}' in {node}");
}
