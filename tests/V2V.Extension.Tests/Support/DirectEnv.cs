using System.Text.Json.Nodes;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Extension.Tests.Support;

/// <summary>The environment a handler gets when called straight, outside routing: results only; the data it sends is kept.</summary>
internal sealed class DirectEnv : ITenEnv
{
    public string Name => "direct";

    public JsonObject Properties { get; } = [];

    public Microsoft.Extensions.Logging.ILogger Logger => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public Task<CmdResult> SendCmdAsync(Cmd cmd, CancellationToken cancellationToken = default) => Task.FromResult(CmdResult.Ok());

    /// <summary>The data sent, in order.</summary>
    public List<DataMessage> Data { get; } = [];

    public ValueTask SendDataAsync(DataMessage data, CancellationToken cancellationToken = default)
    {
        Data.Add(data);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendAudioFrameAsync(AudioFrame frame, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
