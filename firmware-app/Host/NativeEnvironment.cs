using System.Runtime.InteropServices;

namespace HardwareMaster.App.Host;

/// <summary>
/// Sets environment variables in the native process environment (libc <c>setenv</c>) as well as .NET's copy, so native
/// libraries loaded later (libasound reads <c>ALSA_CONFIG_PATH</c>) see them.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> for .NET and native code.</summary>
    /// <exception cref="InvalidOperationException">setenv failed.</exception>
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
