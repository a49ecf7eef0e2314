using System.Runtime.InteropServices;

namespace HardwareMaster.Hal.Audio.Resampling;

/// <summary>
/// Hand-written P/Invoke declarations for the parts of libsoxr.so.0 (Debian libsoxr0, soxr.h 0.1.x) we use.
/// <c>unsigned long</c> is <see cref="nuint"/> on LP64; <c>soxr_error_t</c> is a C string (null = no error).
/// </summary>
internal static unsafe partial class SoxrNative
{
    public const string Library = "libsoxr.so.0";

    public const int Float32Interleaved = 0;   // SOXR_FLOAT32_I
    public const nuint RecipeVeryHigh = 6;     // SOXR_VHQ = SOXR_28_BITQ
    public const nuint LinearPhase = 0x00;     // SOXR_LINEAR_PHASE
    public const nuint NoDither = 8;           // SOXR_NO_DITHER (only applies to INT16 output)

    [LibraryImport(Library, EntryPoint = "soxr_create")]
    public static partial nint Create(double inputRate, double outputRate, uint channels, out nint error, IoSpec* ioSpec, QualitySpec* qualitySpec, nint runtimeSpec);

    [LibraryImport(Library, EntryPoint = "soxr_process")]
    public static partial nint Process(nint resampler, float* input, nuint inputLength, out nuint inputDone, float* output, nuint outputLength, out nuint outputDone);

    [LibraryImport(Library, EntryPoint = "soxr_delete")]
    public static partial void Delete(nint resampler);

    [LibraryImport(Library, EntryPoint = "soxr_delay")]
    public static partial double Delay(nint resampler);

    [LibraryImport(Library, EntryPoint = "soxr_io_spec")]
    public static partial IoSpec MakeIoSpec(int inputType, int outputType);

    [LibraryImport(Library, EntryPoint = "soxr_quality_spec")]
    public static partial QualitySpec MakeQualitySpec(nuint recipe, nuint flags);

    [LibraryImport(Library, EntryPoint = "soxr_version")]
    public static partial nint Version();

    /// <summary>The text of a <c>soxr_error_t</c> (null pointer = no error).</summary>
    public static string? ErrorText(nint error) => error == 0 ? null : Marshal.PtrToStringUTF8(error);

    /// <summary><c>struct soxr_io_spec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct IoSpec
    {
        public int InputType;
        public int OutputType;
        public double Scale;
        public nint Reserved;
        public nuint Flags;
    }

    /// <summary><c>struct soxr_quality_spec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct QualitySpec
    {
        public double Precision;
        public double PhaseResponse;
        public double PassbandEnd;
        public double StopbandBegin;
        public nint Reserved;
        public nuint Flags;
    }
}
