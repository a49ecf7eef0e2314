using Microsoft.Win32.SafeHandles;

namespace HardwareMaster.App.Host;

/// <summary>
/// The CPU temperature from Linux's thermal sysfs (<c>/sys/class/thermal/thermal_zone*/temp</c>, millidegrees Celsius):
/// the zone whose <c>type</c> names the CPU (<c>cpu-thermal</c> on a Pi, <c>x86_pkg_temp</c> on a PC), else the first
/// zone. The file is opened once and re-read at offset 0 (sysfs regenerates it), at most once per
/// <see cref="Interval"/>, into a preallocated buffer: reading it allocates nothing. NaN where there is no zone.
/// </summary>
/// <remarks>UI thread only.</remarks>
public sealed class CpuThermometer : IDisposable
{
    /// <summary>Where Linux lists its thermal zones.</summary>
    public const string DefaultRoot = "/sys/class/thermal";

    private readonly TimeProvider _time;
    private readonly SafeFileHandle? _handle;
    private readonly byte[] _buffer = new byte[32];
    private long _lastReadTicks;
    private bool _hasRead;
    private double _celsius = double.NaN;

    /// <summary>Finds the CPU's zone under <paramref name="root"/> (tests pass a folder of their own).</summary>
    /// <param name="root">The thermal class folder.</param>
    /// <param name="time">Clock for the once-per-interval rule.</param>
    public CpuThermometer(string root = DefaultRoot, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        ZonePath = FindZone(root);
        if (ZonePath is not null)
        {
            try
            {
                _handle = File.OpenHandle(ZonePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ZonePath = null;
            }
        }
    }

    /// <summary>Minimum time between two reads of the file (1 s).</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The <c>temp</c> file read, or null when there is none.</summary>
    public string? ZonePath { get; }

    /// <summary>Number of times the file was actually read.</summary>
    public int Reads { get; private set; }

    /// <summary>The temperature, °C (NaN when unknown); re-reads the file when the last read is older than <see cref="Interval"/>.</summary>
    /// <returns>Degrees Celsius or NaN.</returns>
    public double ReadCelsius()
    {
        if (_handle is null)
        {
            return double.NaN;
        }

        long now = _time.GetTimestamp();
        if (_hasRead && _time.GetElapsedTime(_lastReadTicks, now) < Interval)
        {
            return _celsius;
        }

        _hasRead = true;
        _lastReadTicks = now;
        Reads++;
        try
        {
            int length = RandomAccess.Read(_handle, _buffer, 0);
            _celsius = Parse(_buffer.AsSpan(0, length));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _celsius = double.NaN;
        }

        return _celsius;
    }

    /// <inheritdoc />
    public void Dispose() => _handle?.Dispose();

    /// <summary>Parses sysfs millidegrees ("48312\n") into °C; NaN when it is not a number.</summary>
    /// <param name="text">The file's bytes.</param>
    /// <returns>Degrees Celsius or NaN.</returns>
    internal static double Parse(ReadOnlySpan<byte> text)
    {
        int i = 0;
        bool negative = false;
        if (i < text.Length && text[i] == (byte)'-')
        {
            negative = true;
            i++;
        }

        long value = 0;
        int digits = 0;
        for (; i < text.Length && text[i] >= (byte)'0' && text[i] <= (byte)'9' && digits < 12; i++, digits++)
        {
            value = (value * 10) + (text[i] - '0');
        }

        if (digits == 0)
        {
            return double.NaN;
        }

        return (negative ? -value : value) / 1000.0;
    }

    private static string? FindZone(string root)
    {
        try
        {
            if (!Directory.Exists(root))
            {
                return null;
            }

            string? first = null;
            foreach (string zone in Directory.EnumerateDirectories(root, "thermal_zone*").Order(StringComparer.Ordinal))
            {
                string temp = Path.Combine(zone, "temp");
                if (!File.Exists(temp))
                {
                    continue;
                }

                first ??= temp;
                string typePath = Path.Combine(zone, "type");
                string type = File.Exists(typePath) ? File.ReadAllText(typePath).Trim() : string.Empty;
                if (type.Contains("cpu", StringComparison.OrdinalIgnoreCase) || type.Contains("x86_pkg", StringComparison.OrdinalIgnoreCase) || type.Contains("soc", StringComparison.OrdinalIgnoreCase))
                {
                    return temp;
                }
            }

            return first;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
