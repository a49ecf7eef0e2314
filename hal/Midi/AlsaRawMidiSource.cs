using System.Runtime.InteropServices;
using HardwareMaster.Hal.Audio.Alsa;

namespace HardwareMaster.Hal.Midi;

/// <summary>
/// An ALSA rawmidi input (<c>snd_rawmidi_open</c>/<c>snd_rawmidi_read</c> from Debian's libasound2): a USB MIDI
/// controller appears as <c>hw:CARD,DEV</c> (see <c>amidi -l</c>). Opened non-blocking and polled every 2 ms, so
/// <see cref="Dispose"/> never races a blocked read.
/// </summary>
public sealed partial class AlsaRawMidiSource : IMidiByteSource
{
    private const int OpenNonBlock = 0x0002; // SND_RAWMIDI_NONBLOCK
    private readonly Lock _gate = new();
    private nint _handle;

    /// <summary>Opens <paramref name="device"/>.</summary>
    /// <param name="device">ALSA rawmidi name.</param>
    /// <exception cref="MidiDeviceException">Not there, busy, or libasound2 missing.</exception>
    public AlsaRawMidiSource(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Name = device;
        int error;
        nint handle;
        try
        {
            error = SndRawmidiOpen(out handle, 0, device, OpenNonBlock);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new MidiDeviceException($"MIDI device '{device}': cannot open it: {AlsaNative.Library} is not installed (apt-get install libasound2)", ex);
        }

        if (error < 0)
        {
            throw new MidiDeviceException($"MIDI device '{device}': cannot open it: {Describe(error)} (list the devices with: amidi -l)");
        }

        _handle = handle;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public unsafe int Read(Span<byte> buffer, CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            nint result;
            lock (_gate)
            {
                if (_handle == 0)
                {
                    return 0;
                }

                fixed (byte* p = buffer)
                {
                    result = SndRawmidiRead(_handle, p, (nuint)buffer.Length);
                }
            }

            if (result > 0)
            {
                return (int)result;
            }

            if (result != -AlsaNative.EAgain && result != -AlsaNative.EIntr && result != 0)
            {
                throw new MidiDeviceException($"MIDI device '{Name}': {Describe((int)result)} (unplugged?)");
            }

            Thread.Sleep(2); // a control path: 2 ms is far below what a hand on an encoder notices
        }

        return 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_handle != 0)
            {
                _ = SndRawmidiClose(_handle);
                _handle = 0;
            }
        }
    }

    private static string Describe(int error)
    {
        try
        {
            return Marshal.PtrToStringUTF8(SndStrerror(error)) ?? $"error {error}";
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"error {error}";
        }
    }

    [LibraryImport(AlsaNative.Library, EntryPoint = "snd_rawmidi_open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SndRawmidiOpen(out nint input, nint output, string name, int mode);

    [LibraryImport(AlsaNative.Library, EntryPoint = "snd_rawmidi_read")]
    private static unsafe partial nint SndRawmidiRead(nint rawmidi, byte* buffer, nuint size);

    [LibraryImport(AlsaNative.Library, EntryPoint = "snd_rawmidi_close")]
    private static partial int SndRawmidiClose(nint rawmidi);

    [LibraryImport(AlsaNative.Library, EntryPoint = "snd_strerror")]
    private static partial nint SndStrerror(int error);
}
