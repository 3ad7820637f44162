using System.Collections.Concurrent;
using V2V.Ten;
using V2V.Ten.Messages;

namespace V2V.Extension.Tests.Support;

/// <summary>
/// A real extension for tests: it takes what a listener would (pcm_frame, text_data, session_event, flush)
/// and keeps it, so a test can tell what reached the end of the graph and in what order.
/// </summary>
internal sealed class ProbeSink : Ten.Extension
{
    public const string AddonName = "probe_sink";

    public ConcurrentQueue<TenMessage> Received { get; } = new();

    public static ExtensionAddon Addon(ConcurrentBag<ProbeSink> instances) => new(AddonName,
        TestManifest.Create(AddonName, cmdIn: ["flush"], dataIn: ["text_data", "session_event", "error"], audioIn: ["pcm_frame"]),
        [], () =>
        {
            var probe = new ProbeSink();
            instances.Add(probe);
            return probe;
        });

    public override ValueTask OnAudioFrameAsync(ITenEnv env, AudioFrame frame, CancellationToken cancellationToken)
    {
        Received.Enqueue(frame);
        return ValueTask.CompletedTask;
    }

    public override ValueTask OnDataAsync(ITenEnv env, DataMessage data, CancellationToken cancellationToken)
    {
        Received.Enqueue(data);
        return ValueTask.CompletedTask;
    }

    public override Task<CmdResult> OnCmdAsync(ITenEnv env, Cmd cmd, CancellationToken cancellationToken)
    {
        Received.Enqueue(cmd);
        return Task.FromResult(CmdResult.Ok());
    }

    public IEnumerable<DataMessage> Texts => Received.OfType<DataMessage>().Where(d => d.Name == "text_data");

    public IEnumerable<AudioFrame> Frames => Received.OfType<AudioFrame>();
}
