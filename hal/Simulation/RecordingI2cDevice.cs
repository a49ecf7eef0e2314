using System.Device.I2c;
using System.IO;

namespace HardwareMaster.Hal.Simulation;

/// <summary>
/// An <see cref="I2cDevice"/> that records every write transaction (into preallocated storage, so
/// recording does not allocate), can feed an <see cref="OledDecoder"/> live, and can simulate a
/// missing device or a bus error at a chosen write.
/// </summary>
public sealed class RecordingI2cDevice : I2cDevice
{
    private readonly I2cConnectionSettings _settings;
    private byte[] _bytes;
    private int[] _ends;
    private int _byteCount;
    private int _transactionCount;
    private int _failAtWrite = -1;
    private long _writes;

    /// <summary>Creates the device.</summary>
    /// <param name="busId">Reported bus number.</param>
    /// <param name="address">Reported 7-bit address.</param>
    /// <param name="byteCapacity">Initial recording capacity in bytes (grows when exceeded).</param>
    public RecordingI2cDevice(int busId = 1, int address = 0x3C, int byteCapacity = 1 << 16)
    {
        _settings = new I2cConnectionSettings(busId, address);
        _bytes = new byte[Math.Max(16, byteCapacity)];
        _ends = new int[Math.Max(16, byteCapacity / 8)];
    }

    /// <summary>Optional decoder that receives every successful write (the "panel").</summary>
    public OledDecoder? Decoder { get; set; }

    /// <summary>When <c>false</c>, every transfer fails as if nothing acknowledged the address.</summary>
    public bool IsPresent { get; set; } = true;

    /// <summary>Whether writes are stored (turn off for long simulator runs; the decoder still sees them).</summary>
    public bool IsRecording { get; set; } = true;

    /// <summary>Number of recorded transactions.</summary>
    public int TransactionCount => _transactionCount;

    /// <summary>Total recorded bytes.</summary>
    public int ByteCount => _byteCount;

    /// <summary>Writes attempted since creation (successful or not).</summary>
    public long WriteCount => _writes;

    /// <inheritdoc/>
    public override I2cConnectionSettings ConnectionSettings => _settings;

    /// <summary>One recorded transaction.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="TransactionCount"/>.</param>
    /// <returns>Its bytes.</returns>
    public ReadOnlySpan<byte> GetTransaction(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_transactionCount, nameof(index));
        int start = index == 0 ? 0 : _ends[index - 1];
        return _bytes.AsSpan(start, _ends[index] - start);
    }

    /// <summary>Forgets the recording (the decoder is untouched).</summary>
    public void Clear()
    {
        _byteCount = 0;
        _transactionCount = 0;
    }

    /// <summary>Makes the write with 0-based number <paramref name="writeIndex"/> (counting from now) throw an <see cref="IOException"/> after transferring half its bytes.</summary>
    /// <param name="writeIndex">0 = the next write.</param>
    public void FailWriteAfter(int writeIndex) => _failAtWrite = writeIndex;

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _writes++;
        if (!IsPresent)
        {
            throw new IOException("Error 6 (ENXIO): no device acknowledged the address.");
        }

        if (_failAtWrite >= 0 && _failAtWrite-- == 0)
        {
            _failAtWrite = -1;
            // A real bus error can happen part-way: the panel may have taken some of the bytes.
            Decoder?.Feed(buffer.Slice(0, buffer.Length / 2));
            throw new IOException("Error 121 (EREMOTEIO): remote I/O error (simulated).");
        }

        if (IsRecording)
        {
            Record(buffer);
        }

        Decoder?.Feed(buffer);
    }

    /// <inheritdoc/>
    public override void Read(Span<byte> buffer)
    {
        if (!IsPresent)
        {
            throw new IOException("Error 6 (ENXIO): no device acknowledged the address.");
        }

        // SSD1306 status read (§8.1.5): bit 6 = display off.
        buffer.Fill(Decoder is { IsDisplayOn: false } ? (byte)0x40 : (byte)0x00);
    }

    /// <inheritdoc/>
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private void Record(ReadOnlySpan<byte> buffer)
    {
        if (_byteCount + buffer.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _byteCount + buffer.Length));
        }

        if (_transactionCount == _ends.Length)
        {
            Array.Resize(ref _ends, _ends.Length * 2);
        }

        buffer.CopyTo(_bytes.AsSpan(_byteCount));
        _byteCount += buffer.Length;
        _ends[_transactionCount++] = _byteCount;
    }
}
