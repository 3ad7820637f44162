namespace V2V.Voice.Input;

/// <summary>
/// A stretch of one connection's input audio, by position on its clock: appended at the end, dropped from the start,
/// copied out between two positions. Held in blocks of the process's <see cref="AudioBlockPool"/>, so it costs what it
/// holds and allocates nothing once the process has the blocks. Not thread-safe: its owner's lock guards it.
/// </summary>
internal sealed class KeptAudio : IDisposable
{
    private const int BlockSamples = AudioBlockPool.BlockSamples;

    private readonly List<short[]> _blocks = [];
    private long _blocksStart;

    /// <summary>The position of the oldest sample kept.</summary>
    public long Start { get; private set; }

    /// <summary>The position after the last sample appended.</summary>
    public long End { get; private set; }

    /// <summary>Keeps <paramref name="samples"/> after what is kept.</summary>
    public void Append(ReadOnlySpan<short> samples)
    {
        if (_blocks.Count == 0)
        {
            _blocksStart = End;
        }
        while (!samples.IsEmpty)
        {
            var offset = End - _blocksStart;
            var index = (int)(offset / BlockSamples);
            var within = (int)(offset % BlockSamples);
            if (index == _blocks.Count)
            {
                _blocks.Add(AudioBlockPool.Take());
            }
            var take = Math.Min(samples.Length, BlockSamples - within);
            samples[..take].CopyTo(_blocks[index].AsSpan(within));
            samples = samples[take..];
            End += take;
        }
    }

    /// <summary>Drops what is kept before <paramref name="position"/> (nothing when it is at or before <see cref="Start"/>).</summary>
    public void DropBefore(long position)
    {
        if (position <= Start)
        {
            return;
        }
        Start = Math.Min(position, End);
        while (_blocks.Count > 0 && _blocksStart + BlockSamples <= Start)
        {
            AudioBlockPool.Give(_blocks[0]);
            _blocks.RemoveAt(0);
            _blocksStart += BlockSamples;
        }
    }

    /// <summary>A copy of the samples from <paramref name="from"/> to <paramref name="to"/>, both within what is kept.</summary>
    public short[] Copy(long from, long to)
    {
        var copy = new short[to - from];
        var written = 0;
        for (var at = from; at < to;)
        {
            var offset = at - _blocksStart;
            var block = _blocks[(int)(offset / BlockSamples)];
            var within = (int)(offset % BlockSamples);
            var take = (int)Math.Min(BlockSamples - within, to - at);
            block.AsSpan(within, take).CopyTo(copy.AsSpan(written));
            written += take;
            at += take;
        }
        return copy;
    }

    /// <summary>Drops all that is kept; what is appended next is kept from <paramref name="position"/> on.</summary>
    public void Clear(long position)
    {
        Dispose();
        _blocksStart = Start = End = position;
    }

    /// <summary>Gives the blocks back to the pool.</summary>
    public void Dispose()
    {
        foreach (var block in _blocks)
        {
            AudioBlockPool.Give(block);
        }
        _blocks.Clear();
    }
}
