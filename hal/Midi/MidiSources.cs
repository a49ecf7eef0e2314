using System.Runtime.InteropServices;
using HardwareMaster.Hal.Audio.Alsa;

namespace HardwareMaster.Hal.Midi;

/// <summary>A MIDI input could not be opened or read. The message is one line naming the device and the problem.</summary>
public sealed class MidiDeviceException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line: <c>MIDI device 'NAME': problem</c>.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public MidiDeviceException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>Where MIDI bytes come from. One reader thread calls <see cref="Read"/>; any thread may dispose it.</summary>
public interface IMidiByteSource : IDisposable
{
    /// <summary>What it reads (for logs).</summary>
    string Name { get; }

    /// <summary>Reads what is available, waiting for at least one byte.</summary>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="cancellation">Ends the wait.</param>
    /// <returns>Bytes read; 0 at the end of the stream (a file's end, the FIFO's writer gone) or when cancelled.</returns>
    /// <exception cref="MidiDeviceException">The device went away (unplugged).</exception>
    int Read(Span<byte> buffer, CancellationToken cancellation);
}

/// <summary>Opens MIDI inputs by their command-line spec: <c>file:PATH</c> (a file or FIFO of raw MIDI bytes) or an ALSA rawmidi name (<c>hw:1,0</c>, <c>alsa:hw:1,0</c>, <c>virtual</c>).</summary>
public static class MidiInput
{
    /// <summary>Opens <paramref name="spec"/>.</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The source.</returns>
    /// <exception cref="MidiDeviceException">It cannot be opened (one line naming it).</exception>
    public static IMidiByteSource Open(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return MidiStreamSource.OpenFile(spec[5..]);
        }

        return new AlsaRawMidiSource(spec.StartsWith("alsa:", StringComparison.OrdinalIgnoreCase) ? spec[5..] : spec);
    }

    /// <summary>Checks the spec's form (not whether the device is there: a controller may be plugged in later).</summary>
    /// <param name="spec">The spec.</param>
    /// <returns>The problem in one line, or null.</returns>
    public static string? CheckSpec(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec) || spec.Equals("file:", StringComparison.OrdinalIgnoreCase) || spec.Equals("alsa:", StringComparison.OrdinalIgnoreCase))
        {
            return $"--midi '{spec}': name an ALSA rawmidi device (hw:1,0) or file:PATH";
        }

        return null;
    }
}

/// <summary>Raw MIDI bytes from a stream: a file or a FIFO (tests, a bridge process). Ends at the stream's end.</summary>
public sealed class MidiStreamSource : IMidiByteSource
{
    private readonly Stream _stream;

    /// <summary>Wraps <paramref name="stream"/> (owned).</summary>
    /// <param name="stream">The bytes.</param>
    /// <param name="name">For logs.</param>
    public MidiStreamSource(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Opens a file or FIFO (a FIFO waits here for its writer).</summary>
    /// <param name="path">The path.</param>
    /// <returns>The source.</returns>
    /// <exception cref="MidiDeviceException">It cannot be opened.</exception>
    public static MidiStreamSource OpenFile(string path)
    {
        try
        {
            return new MidiStreamSource(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0), "file:" + path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new MidiDeviceException($"MIDI input 'file:{path}': cannot open it: {(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex.Message)}", ex);
        }
    }

    /// <inheritdoc />
    public int Read(Span<byte> buffer, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested)
        {
            return 0;
        }

        try
        {
            return _stream.Read(buffer);
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        catch (IOException ex)
        {
            throw new MidiDeviceException($"MIDI input '{Name}': {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}

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
