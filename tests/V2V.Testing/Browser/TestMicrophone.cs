namespace V2V.Testing.Browser;

/// <summary>
/// The page's microphone in the tests: <c>getUserMedia</c> gives a stream of an AudioContext of the test's, silent until
/// the test speaks a WAV into it (<c>window.v2vTestMicrophone.speak(wavBase64)</c>), which it does once the page says it
/// listens: an event, not a time. Chromium's fake device (<c>--use-file-for-fake-audio-capture</c>) played its file from
/// the moment <c>getUserMedia</c> returned, but a page connects the microphone only once the server is ready: on a busy
/// machine that took 4-8 s, and the question had been said to nobody. Every stream handed out is kept
/// (<c>streams</c>, <c>liveTracks()</c>), so a test can see its tracks stopped.
/// </summary>
public static class TestMicrophone
{
    public const string InitScript = """
        (() => {
          const mic = window.v2vTestMicrophone = { streams: [], spoken: [], context: null, destination: null };
          mic.liveTracks = () => mic.streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState !== 'ended').length;
          navigator.mediaDevices.getUserMedia = async (constraints) => {
            if (!constraints || !constraints.audio) throw new DOMException('the test microphone is audio only', 'NotSupportedError');
            mic.context ??= new AudioContext();
            await mic.context.resume();
            // A stream per call: an agent stops the tracks of its own when it ends.
            mic.destination = mic.context.createMediaStreamDestination();
            mic.destination.channelCount = 1;
            mic.streams.push(mic.destination.stream);
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
