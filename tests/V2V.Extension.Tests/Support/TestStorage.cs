using System.Collections.Concurrent;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Extension.Tests.Support;

/// <summary>A real extension for tests, answering the storage contract: retrieve gives a stored conversation, append is kept.</summary>
internal sealed class TestStorage(string storedJson) : Ten.Extension
{
    public const string AddonName = "test_storage";

    public ConcurrentQueue<DataMessage> Appended { get; } = new();

    public ExtensionAddon Addon() => new(AddonName, TestManifest.Create(AddonName, cmdIn: ["retrieve"], dataIn: ["append"]), [], () => this);

    public override Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        var result = CmdResult.Ok();
        result.Set("response", storedJson);
        return Task.FromResult(result);
    }

    public override ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        Appended.Enqueue(data);
        return ValueTask.CompletedTask;
    }
}
