using V2V.Cli.Serve;
using V2V.Playground.Telephony;

namespace V2V.Cli.Commands;

/// <summary>
/// The phone line of <c>v2v serve</c> (<c>/media-stream</c>, Twilio Media Streams) from the settings <c>Serve:Phone</c>
/// (<see cref="PhoneSettings"/>, checked by <see cref="ServeSettingsValidator"/>): the auth token is read from an
/// environment variable (TWILIO_AUTH_TOKEN, or the one <c>Serve:Phone:AuthTokenEnv</c> names), never from a setting or
/// the command line; <c>PublicUrl</c> is the stream URL Twilio signs; <c>MaxCalls</c> bounds the calls at once.
/// </summary>
internal static class ServeTelephony
{
    /// <summary>Sets <paramref name="telephony"/>; false, said on <paramref name="errors"/> naming the setting and the fix, when the named variable is not set.</summary>
    public static bool TryConfigure(TelephonyOptions telephony, Func<string, string?> environment, PhoneSettings phone, TextWriter errors)
    {
        telephony.MaxCalls = phone.MaxCalls;
        telephony.PublicUrl = phone.PublicUrl;
        if (phone.AuthTokenEnv is { } tokenVariable)
        {
            // The token itself never goes on a command line (other users of the machine can read those) nor in a file.
            if (environment(tokenVariable) is not { Length: > 0 } token)
            {
                var setting = ServeSetting.Of("Serve:Phone:AuthTokenEnv")!;
                errors.WriteLine($"v2v serve: {setting.Key} names the environment variable {tokenVariable}, which is not set. Set {tokenVariable} to the Twilio account's auth token, or leave {setting.Key} ({setting.Variable}, {setting.Flag}) out to read {TelephonyOptions.AuthTokenVariable}.");
                return false;
            }
            telephony.AuthToken = token;
        }
        return true;
    }
}
