using System.Reflection;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace HardwareMaster.App.Reports.Plots;

/// <summary>
/// Finds SkiaSharp's native library, <c>libSkiaSharp.so</c>, which the plots need and nothing else does. Looked up beside
/// the executable first (a publish folder, <c>run.sh</c>, the tests), then where the .deb installs it,
/// <c>/usr/lib/hardwaremaster/</c> (relative to the binary's folder as <c>../lib/hardwaremaster</c>, so a relocated tree
/// works too), so <c>/usr/bin</c> holds no library. HarfBuzz (<c>libHarfBuzzSharp.so</c>) is never loaded: the figure
/// only draws plain Latin text.
/// </summary>
internal static class PlotNative
{
    private const string SkiaLibrary = "libSkiaSharp";
    private static readonly Lock s_gate = new();
    private static string? s_problem;
    private static bool s_checked;

    /// <summary>Where the .deb puts the library, relative to the folder of the executable.</summary>
    public static string PackagedFolder => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "lib", "hardwaremaster"));

    /// <summary>Registers the lookup and loads the library once; null, or why plots cannot be drawn.</summary>
    /// <returns>The problem, or null.</returns>
    public static string? EnsureLoaded()
    {
        lock (s_gate)
        {
            if (!s_checked)
            {
                s_checked = true;
                s_problem = Load();
            }

            return s_problem;
        }
    }

    private static string? Load()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(SKObject).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set for SkiaSharp (e.g. by a host): use it.
        }

        try
        {
            // The first call into the library: fails here, before any work, when it is missing or broken.
            _ = SKFontManager.Default.FontFamilyCount;
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            return $"cannot draw plots: {SkiaLibrary}.so is missing or unusable (looked beside the program and in {PackagedFolder})";
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!name.StartsWith(SkiaLibrary, StringComparison.Ordinal))
        {
            return IntPtr.Zero;
        }

        if (NativeLibrary.TryLoad(name, assembly, searchPath, out IntPtr handle))
        {
            return handle;
        }

        string packaged = Path.Combine(PackagedFolder, SkiaLibrary + ".so");
        return NativeLibrary.TryLoad(packaged, out handle) ? handle : IntPtr.Zero;
    }
}
