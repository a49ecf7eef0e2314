using System.Runtime.InteropServices;

namespace HardwareMaster.Hal.Tests.Audio;

/// <summary>
/// Sets an environment variable for .NET and for native libraries (libasound, PortAudio, libjack read the C
/// environment; .NET keeps its own copy on Unix). Shared by the ALSA test environment and the jackd helper,
/// and linked into App.Tests with the jackd helper.
/// </summary>
internal static partial class TestNativeEnvironment
{
    public static void Set(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (SetEnv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv {name} failed");
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
