using V2V.Graph.Definition;

namespace V2V.Graph.Hosting;

/// <summary>
/// The routes out of one extension, precomputed at start: message name to destination actors, one table per
/// kind. The lookups allocate nothing; audio keeps the last hit so a steady stream of <c>pcm_frame</c> does
/// not even hash the name.
/// </summary>
internal sealed class RouteTable
{
    private readonly Dictionary<string, ExtensionActor[]> _cmd = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExtensionActor[]> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExtensionActor[]> _audio = new(StringComparer.Ordinal);
    private LastHit? _lastAudio;

    public void Add(MessageKind kind, string name, ExtensionActor[] destinations) => Table(kind)[name] = destinations;

    public ExtensionActor[]? Cmd(string name) => _cmd.GetValueOrDefault(name);

    public ExtensionActor[]? Data(string name) => _data.GetValueOrDefault(name);

    public ExtensionActor[]? Audio(string name)
    {
        // Frames are usually sent with the same interned literal: a reference check is enough to reuse the last lookup.
        var last = Volatile.Read(ref _lastAudio);
        if (last is not null && ReferenceEquals(last.Name, name))
        {
            return last.Destinations;
        }
        var found = _audio.GetValueOrDefault(name);
        if (found is not null)
        {
            Volatile.Write(ref _lastAudio, new LastHit(name, found));
        }
        return found;
    }

    private Dictionary<string, ExtensionActor[]> Table(MessageKind kind) => kind switch
    {
        MessageKind.Cmd => _cmd,
        MessageKind.Data => _data,
        _ => _audio,
    };

    private sealed record LastHit(string Name, ExtensionActor[] Destinations);
}
