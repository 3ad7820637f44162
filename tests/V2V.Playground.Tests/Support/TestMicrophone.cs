namespace V2V.Playground.Tests.Support;

/// <summary>
/// The page's microphone in the tests: <c>getUserMedia</c> gives a stream of an AudioContext of the test's, silent
/// until the test speaks a WAV into it (<see cref="PlaygroundPage.SpeakAsync"/>). Chromium's fake device
/// (<c>--use-file-for-fake-audio-capture</c>) played its file from the moment <c>getUserMedia</c> returned, but the
/// page connects the microphone only once the server's graph is <c>ready</c>: on a busy machine that took 4-8 s, the
/// question (over 2 s after <c>getUserMedia</c>) had been said to nobody, and the pages sent thousands of chunks of
/// silence. A test speaks when the page says it listens instead: an event, not a time.
/// </summary>
internal static class TestMicrophone
{
    /// <summary>Installed into every page before its scripts run; <c>window.v2vTestMicrophone</c> records what it did.</summary>
    public const string InitScript = """
        (() => {
          const mic = window.v2vTestMicrophone = { opened: 0, spoken: [], context: null, destination: null };
          navigator.mediaDevices.getUserMedia = async (constraints) => {
            if (!constraints || !constraints.audio) throw new DOMException('the test microphone is audio only', 'NotSupportedError');
            mic.context ??= new AudioContext();
            await mic.context.resume();
            // A stream per call: the page stops the tracks of the one it had when a session ends.
            mic.destination = mic.context.createMediaStreamDestination();
            mic.destination.channelCount = 1;
            mic.opened++;
            return mic.destination.stream;
          };
          mic.speak = async (wavBase64) => {
            if (!mic.destination) throw new Error('the page has not opened the microphone');
            const bytes = Uint8Array.from(atob(wavBase64), (c) => c.charCodeAt(0));
            const buffer = await mic.context.decodeAudioData(bytes.buffer);
            const source = mic.context.createBufferSource();
            source.buffer = buffer;
            source.connect(mic.destination);
            mic.spoken.push({ at: Math.round(performance.now()), seconds: buffer.duration });
            source.start();
          };
        })();
        """;
}
