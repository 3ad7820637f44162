using V2V.Graph.Definition;

namespace V2V.Graph.Hosting;

/// <summary>
/// The routes out of one extension, precomputed at start: message name to destinations, one table per kind. Commands
/// and data carry each destination's conversion; frames are never converted (validation refuses it), so their tables
/// hold the actors alone. The lookups allocate nothing; audio keeps the last hit so a steady stream of
/// <c>pcm_frame</c> does not even hash the name.
/// </summary>
internal sealed class RouteTable
{
    private readonly Dictionary<string, RouteTarget[]> _cmd = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RouteTarget[]> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExtensionActor[]> _audio = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExtensionActor[]> _video = new(StringComparer.Ordinal);
    private LastHit? _lastAudio;

    public void Add(MessageKind kind, string name, RouteTarget[] destinations)
    {
        switch (kind)
        {
            case MessageKind.Cmd:
                _cmd[name] = destinations;
                break;
            case MessageKind.Data:
                _data[name] = destinations;
                break;
            case MessageKind.AudioFrame:
                _audio[name] = [.. destinations.Select(d => d.Actor)];
                break;
            default:
                _video[name] = [.. destinations.Select(d => d.Actor)];
                break;
        }
    }

    public RouteTarget[]? Cmd(string name) => _cmd.GetValueOrDefault(name);

    public RouteTarget[]? Data(string name) => _data.GetValueOrDefault(name);

    public ExtensionActor[]? Video(string name) => _video.GetValueOrDefault(name);

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

    private sealed record LastHit(string Name, ExtensionActor[] Destinations);
}
