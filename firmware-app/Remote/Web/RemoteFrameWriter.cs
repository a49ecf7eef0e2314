using System.Buffers;
using System.Text.Json;
using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;

namespace HardwareMaster.App.Remote.Web;

/// <summary>
/// Turns the <see cref="RemoteStateFeed"/> into the web page's WebSocket frames (UTF-8 JSON), one per client and
/// frame, into a buffer the writer owns: after the first frame nothing is allocated (a test proves it). Runs on the
/// web server's threads, never on the audio or control thread.
/// </summary>
/// <remarks>
/// A meter frame: <c>{"t":"m","ipl":…,"ipr":…,"opl":…,"opr":…,"gr":…,"lgr":…,"m":…,"s":…,"i":…,"tp":…,"tpmax":…,
/// "target":…,"dist":…,"lra":…,"plr":…,"corr":…,"byp":…,"cpu":…,"miss":…,"blocks":…,"frames":…}</c> (dB/LUFS; a
/// value that is −∞ or NaN, e.g. silence, is <c>null</c>). A values frame, sent when a parameter changed:
/// <c>{"t":"v","version":N,"values":[…registry order…],"preset":"…"|null,"byp":…,"slots":["…"|null ×8]}</c> (also
/// sent when a user slot was saved).
/// </remarks>
public sealed class RemoteFrameWriter
{
    private readonly RemoteStateFeed _feed;
    private readonly ArrayBufferWriter<byte> _buffer = new(2048);
    private readonly Utf8JsonWriter _json;
    private readonly double[] _values;
    private readonly string?[] _slots = new string?[Box.BoxPresetStore.SlotCount];
    private readonly int _target;

    /// <summary>Creates a writer for <paramref name="feed"/>.</summary>
    /// <param name="feed">The feed read.</param>
    public RemoteFrameWriter(RemoteStateFeed feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _feed = feed;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        _values = new double[feed.Registry.Count];
        _target = feed.Registry.TryGetIndex(ParameterIds.TargetLufs, out int target) ? target : -1;
    }

    /// <summary>The values version last written by <see cref="WriteValues"/> (−1 before the first).</summary>
    public long ValuesVersion { get; private set; } = -1;

    /// <summary>The slots version last written by <see cref="WriteValues"/> (−1 before the first).</summary>
    public long SlotsVersion { get; private set; } = -1;

    /// <summary>Whether the feed's values (or user slots) changed since the last <see cref="WriteValues"/>.</summary>
    public bool ValuesChanged => _feed.ValuesVersion != ValuesVersion || _feed.SlotsVersion != SlotsVersion;

    /// <summary>Writes the current meters as one frame. No allocation after the first call.</summary>
    /// <returns>The frame's bytes (valid until the next call).</returns>
    public ReadOnlyMemory<byte> WriteMeters()
    {
        MeterSnapshot m = _feed.ReadMeters();
        if (_target >= 0 && ValuesVersion < 0)
        {
            _feed.CopyValues(_values);
        }

        double target = _target >= 0 ? _values[_target] : double.NaN;
        Begin();
        _json.WriteString("t"u8, "m"u8);
        Number("ipl"u8, m.InputPeakLeftDbfs);
        Number("ipr"u8, m.InputPeakRightDbfs);
        Number("opl"u8, m.OutputPeakLeftDbfs);
        Number("opr"u8, m.OutputPeakRightDbfs);
        Number("gr"u8, m.CompressorReductionDb);
        Number("lgr"u8, m.LimiterReductionDb);
        Number("m"u8, m.MomentaryLufs);
        Number("s"u8, m.ShortTermLufs);
        Number("i"u8, m.IntegratedLufs);
        Number("tp"u8, m.TruePeakDbtp);
        Number("tpmax"u8, m.TruePeakMaxDbtp);
        Number("target"u8, target);
        Number("dist"u8, m.ShortTermLufs - target);
        Number("lra"u8, m.LoudnessRangeLu);
        Number("plr"u8, m.PlrDb);
        Number("corr"u8, m.Correlation);
        _json.WriteBoolean("byp"u8, _feed.GlobalBypass);
        Number("cpu"u8, m.CpuPercent);
        _json.WriteNumber("miss"u8, m.DeadlineMisses);
        _json.WriteNumber("blocks"u8, m.Blocks);
        _json.WriteNumber("frames"u8, _feed.Frames);
        return End();
    }

    /// <summary>Writes every parameter value as one frame. No allocation after the first call.</summary>
    /// <returns>The frame's bytes (valid until the next call).</returns>
    public ReadOnlyMemory<byte> WriteValues()
    {
        ValuesVersion = _feed.CopyValues(_values);
        Begin();
        _json.WriteString("t"u8, "v"u8);
        _json.WriteNumber("version"u8, ValuesVersion);
        _json.WriteStartArray("values"u8);
        foreach (double value in _values)
        {
            _json.WriteNumberValue(value);
        }

        _json.WriteEndArray();
        if (_feed.PresetName is { } preset)
        {
            _json.WriteString("preset"u8, preset);
        }
        else
        {
            _json.WriteNull("preset"u8);
        }

        _json.WriteBoolean("byp"u8, _feed.GlobalBypass);
        SlotsVersion = _feed.CopySlotNames(_slots);
        _json.WriteStartArray("slots"u8);
        foreach (string? slot in _slots)
        {
            if (slot is null)
            {
                _json.WriteNullValue();
            }
            else
            {
                _json.WriteStringValue(slot);
            }
        }

        _json.WriteEndArray();
        return End();
    }

    private void Begin()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
    }

    private ReadOnlyMemory<byte> End()
    {
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenMemory;
    }

    private void Number(ReadOnlySpan<byte> name, double value)
    {
        if (double.IsFinite(value))
        {
            _json.WriteNumber(name, Math.Round(value, 2));
        }
        else
        {
            _json.WriteNull(name);
        }
    }
}
