using System.Text;
using HardwareMaster.App.Configuration;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Presets;
using HardwareMaster.Hal.AudioFiles;
using HardwareMaster.Hal.Profile;

namespace HardwareMaster.Fuzz;

/// <summary>
/// The fuzz targets (the MIDI, OSC and MIDI-map ones are in <see cref="RemoteTargets"/>). Each takes the raw input bytes the way the program would get them from a file and
/// returns whether the parser accepted the input when it parses it or throws its documented exception
/// (<see cref="AudioFileException"/>, <see cref="PresetException"/>, <see cref="ConfigurationException"/>,
/// <see cref="HardwareProfileException"/>); any other exception escapes and is a crash.
/// </summary>
internal static class Targets
{
    /// <summary>The parser names, as scripts/fuzz.sh and the corpus folders spell them.</summary>
    public static readonly string[] Names = ["audio", "preset", "config", "profile", "midi", "osc", "midimap"];

    /// <summary>The target for <paramref name="parser"/>.</summary>
    public static Func<byte[], bool> Get(string parser) => parser switch
    {
        "audio" => Audio,
        "preset" => Preset,
        "config" => Config,
        "profile" => Profile,
        "midi" => RemoteTargets.Midi,
        "osc" => RemoteTargets.Osc,
        "midimap" => RemoteTargets.MidiMap,
        _ => throw new ArgumentException($"unknown parser '{parser}' (use {string.Join(", ", Names)})", nameof(parser)),
    };

    /// <summary>Whether the corpus of <paramref name="parser"/> is JSON (token-level mutations apply).</summary>
    public static bool IsJson(string parser) => parser is not ("audio" or "midi" or "osc");

    /// <summary>
    /// The audio-file header parser through <see cref="AudioFileReader"/>: opened from a seekable and from a
    /// non-seekable stream (the two code paths of the parser), then every frame decoded.
    /// </summary>
    public static bool Audio(byte[] data)
    {
        bool seekable = ReadAll(new MemoryStream(data, writable: false), data.Length);
        bool pipe = ReadAll(new ForwardOnlyStream(data), data.Length);
        return seekable || pipe;
    }

    /// <summary>The preset parser, as <c>--preset-file</c> reads a file.</summary>
    public static bool Preset(byte[] data)
    {
        string text = Decode(data);
        try
        {
            Preset preset = PresetSerializer.Parse(text, "fuzz.json", ParameterRegistry.Chain);
            _ = PresetSerializer.Serialize(preset);
            return true;
        }
        catch (PresetException)
        {
            return false;
        }
    }

    /// <summary>The run-configuration parser, as <c>run --config</c> reads a file.</summary>
    public static bool Config(byte[] data)
    {
        string text = Decode(data);
        try
        {
            _ = RunConfiguration.Parse(text, "fuzz.json");
            return true;
        }
        catch (ConfigurationException)
        {
            return false;
        }
    }

    /// <summary>The hardware-profile parser, as <see cref="HardwareProfileLoader.Load"/> reads a file.</summary>
    public static bool Profile(byte[] data)
    {
        string text = Decode(data);
        try
        {
            HardwareProfile profile = HardwareProfileLoader.Parse(text, "fuzz.json");
            _ = HardwareProfileLoader.ToJson(profile);
            return true;
        }
        catch (HardwareProfileException)
        {
            return false;
        }
    }

    /// <summary>Decodes like <see cref="File.ReadAllText(string)"/>: BOM detection, UTF-8 with replacement.</summary>
    private static string Decode(byte[] data)
    {
        using var reader = new StreamReader(new MemoryStream(data, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <returns>Whether the header was accepted.</returns>
    private static bool ReadAll(Stream stream, int inputBytes)
    {
        AudioFileReader reader;
        try
        {
            reader = AudioFileReader.Open(stream, "fuzz.wav");
        }
        catch (AudioFileException)
        {
            return false;
        }

        using (reader)
        {
            AudioFileFormat format = reader.Format;
            if (format.Channels is < 1 or > 2 || format.SampleRateHz is < 8000 or > 384000)
            {
                throw new InvalidOperationException($"accepted a header with {format.Channels} channels at {format.SampleRateHz} Hz");
            }

            Span<float> buffer = stackalloc float[1024];
            long frames = 0;
            int read;
            try
            {
                while ((read = reader.Read(buffer)) > 0)
                {
                    frames += read;
                    for (int i = 0; i < read * format.Channels; i++)
                    {
                        if (!float.IsFinite(buffer[i]) && format.Encoding is not (SampleEncoding.Float32 or SampleEncoding.Float64))
                        {
                            throw new InvalidOperationException($"PCM decoded to {buffer[i]}");
                        }
                    }

                    if (frames > inputBytes)
                    {
                        throw new InvalidOperationException($"delivered {frames} frames from a {inputBytes}-byte input");
                    }
                }
            }
            catch (AudioFileException)
            {
            }
        }

        return true;
    }

    /// <summary>A read-only stream that cannot seek, like a pipe.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            // Short reads, like a pipe: at most 4 KiB at a time.
            int n = Math.Min(Math.Min(count, 4096), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
