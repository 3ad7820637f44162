namespace V2V.Audio;

/// <summary>Argument checks shared by <see cref="MuLaw"/> and <see cref="ALaw"/>.</summary>
internal static class G711Checks
{
    public static void Room(int sourceLength, int destinationLength, string parameterName)
    {
        if (destinationLength < sourceLength)
        {
            throw new ArgumentException(
                $"{parameterName} holds {destinationLength} elements but {sourceLength} are converted (G.711 is one byte per sample); give it at least as many.",
                parameterName);
        }
    }
}
