using System.Runtime.InteropServices;

namespace HardwareMaster.Hal.Audio.PortAudio;

/// <summary>
/// Hand-written P/Invoke declarations for libportaudio.so.2 (Debian libportaudio2, V19.6). <c>unsigned long</c> is
/// <see cref="nuint"/> on LP64 Linux (PLATFORM-NOTES §4).
/// </summary>
internal static unsafe partial class PortAudioNative
{
    public const string Library = "libportaudio.so.2";

    public const nuint SampleFormatFloat32 = 0x1;
    public const nuint SampleFormatInt32 = 0x2;
    public const nuint SampleFormatInt24 = 0x4;
    public const nuint SampleFormatInt16 = 0x8;
    public const nuint SampleFormatNonInterleaved = 0x80000000;

    public const nuint StreamFlagDitherOff = 0x2;

    public const int Continue = 0;
    public const int Complete = 1;
    public const int Abort = 2;

    public const nuint StatusInputUnderflow = 0x1;
    public const nuint StatusInputOverflow = 0x2;
    public const nuint StatusOutputUnderflow = 0x4;
    public const nuint StatusOutputOverflow = 0x8;

    public const int NoDevice = -1;

    // PaErrorCode values for requests the device can never satisfy (retrying the same request cannot help).
    public const int ErrorInvalidChannelCount = -9998;
    public const int ErrorInvalidSampleRate = -9997;
    public const int ErrorInvalidFlag = -9995;
    public const int ErrorSampleFormatNotSupported = -9994;
    public const int ErrorBadIODeviceCombination = -9993;
    public const int ErrorBufferTooBig = -9991;
    public const int ErrorBufferTooSmall = -9990;

    /// <summary>
    /// <c>false</c> for a PaError that says the request itself is impossible for the device (rate, channels, format,
    /// buffer size); <c>true</c> for the rest (device unavailable or busy, host errors, time-outs), which can heal.
    /// </summary>
    public static bool CanRecover(int error) => error is not (ErrorInvalidChannelCount or ErrorInvalidSampleRate or ErrorInvalidFlag
        or ErrorSampleFormatNotSupported or ErrorBadIODeviceCombination or ErrorBufferTooBig or ErrorBufferTooSmall);

    [LibraryImport(Library, EntryPoint = "Pa_Initialize")]
    public static partial int Initialize();

    [LibraryImport(Library, EntryPoint = "Pa_Terminate")]
    public static partial int Terminate();

    [LibraryImport(Library, EntryPoint = "Pa_GetErrorText")]
    private static partial nint GetErrorTextNative(int error);

    [LibraryImport(Library, EntryPoint = "Pa_GetDeviceCount")]
    public static partial int GetDeviceCount();

    [LibraryImport(Library, EntryPoint = "Pa_GetDefaultInputDevice")]
    public static partial int GetDefaultInputDevice();

    [LibraryImport(Library, EntryPoint = "Pa_GetDefaultOutputDevice")]
    public static partial int GetDefaultOutputDevice();

    [LibraryImport(Library, EntryPoint = "Pa_GetDeviceInfo")]
    public static partial DeviceInfo* GetDeviceInfo(int device);

    [LibraryImport(Library, EntryPoint = "Pa_GetHostApiInfo")]
    public static partial HostApiInfo* GetHostApiInfo(int hostApi);

    [LibraryImport(Library, EntryPoint = "Pa_IsFormatSupported")]
    public static partial int IsFormatSupported(StreamParameters* input, StreamParameters* output, double sampleRate);

    [LibraryImport(Library, EntryPoint = "Pa_OpenStream")]
    public static partial int OpenStream(
        out nint stream,
        StreamParameters* input,
        StreamParameters* output,
        double sampleRate,
        nuint framesPerBuffer,
        nuint flags,
        delegate* unmanaged[Cdecl]<void*, void*, nuint, void*, nuint, void*, int> callback,
        void* userData);

    [LibraryImport(Library, EntryPoint = "Pa_SetStreamFinishedCallback")]
    public static partial int SetStreamFinishedCallback(SafePortAudioStreamHandle stream, delegate* unmanaged[Cdecl]<void*, void> callback);

    [LibraryImport(Library, EntryPoint = "Pa_StartStream")]
    public static partial int StartStream(SafePortAudioStreamHandle stream);

    [LibraryImport(Library, EntryPoint = "Pa_StopStream")]
    public static partial int StopStream(SafePortAudioStreamHandle stream);

    [LibraryImport(Library, EntryPoint = "Pa_AbortStream")]
    public static partial int AbortStream(SafePortAudioStreamHandle stream);

    [LibraryImport(Library, EntryPoint = "Pa_CloseStream")]
    public static partial int CloseStream(nint stream);

    [LibraryImport(Library, EntryPoint = "Pa_GetStreamInfo")]
    public static partial StreamInfo* GetStreamInfo(SafePortAudioStreamHandle stream);

    public static string ErrorText(int error) => Marshal.PtrToStringUTF8(GetErrorTextNative(error)) ?? $"PortAudio error {error}";

    public static nuint ToPortAudio(AudioSampleFormat format) => format switch
    {
        AudioSampleFormat.S16LE => SampleFormatInt16,
        AudioSampleFormat.S24Packed3LE => SampleFormatInt24,
        AudioSampleFormat.S32LE => SampleFormatInt32,
        _ => SampleFormatFloat32,
    };

    [StructLayout(LayoutKind.Sequential)]
    public struct StreamParameters
    {
        public int Device;
        public int ChannelCount;
        public nuint SampleFormat;
        public double SuggestedLatency;
        public nint HostApiSpecificStreamInfo;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct DeviceInfo
    {
        public int StructVersion;
        public nint Name;
        public int HostApi;
        public int MaxInputChannels;
        public int MaxOutputChannels;
        public double DefaultLowInputLatency;
        public double DefaultLowOutputLatency;
        public double DefaultHighInputLatency;
        public double DefaultHighOutputLatency;
        public double DefaultSampleRate;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct HostApiInfo
    {
        public int StructVersion;
        public int Type;
        public nint Name;
        public int DeviceCount;
        public int DefaultInputDevice;
        public int DefaultOutputDevice;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct StreamInfo
    {
        public int StructVersion;
        public double InputLatency;
        public double OutputLatency;
        public double SampleRate;
    }
}

/// <summary>Owns a <c>PaStream*</c>; <see cref="ReleaseHandle"/> calls <c>Pa_CloseStream</c>.</summary>
internal sealed class SafePortAudioStreamHandle : SafeHandle
{
    public SafePortAudioStreamHandle(nint stream)
        : base(0, ownsHandle: true)
    {
        SetHandle(stream);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => PortAudioNative.CloseStream(handle) >= 0;
}

/// <summary>Reference-counted <c>Pa_Initialize</c>/<c>Pa_Terminate</c> (PortAudio requires them paired, process-wide).</summary>
internal static class PortAudioLibrary
{
    private static readonly Lock Gate = new();
    private static int _references;

    /// <summary>Initialises PortAudio on first use.</summary>
    /// <exception cref="AudioDeviceException">Pa_Initialize failed or libportaudio.so.2 is missing.</exception>
    public static void Acquire(string deviceLabel)
    {
        lock (Gate)
        {
            if (_references == 0)
            {
                int rc;
                Alsa.AlsaNative.RefreshConfiguration(); // so the device list follows the current ALSA configuration
                try
                {
                    rc = PortAudioNative.Initialize();
                }
                catch (DllNotFoundException ex)
                {
                    throw new AudioDeviceException($"{deviceLabel}: PortAudio is not installed (libportaudio.so.2; Debian package libportaudio2)", ex) { CanRecover = false };
                }

                if (rc < 0)
                {
                    throw new AudioDeviceException($"{deviceLabel}: Pa_Initialize failed: {PortAudioNative.ErrorText(rc)}", rc);
                }
            }

            _references++;
        }
    }

    /// <summary>Terminates PortAudio when the last user releases it.</summary>
    public static void Release()
    {
        lock (Gate)
        {
            if (_references > 0 && --_references == 0)
            {
                PortAudioNative.Terminate();
            }
        }
    }
}
