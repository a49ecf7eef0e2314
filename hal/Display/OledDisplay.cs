using System.Device.I2c;
using System.IO;

namespace HardwareMaster.Hal.Display;

/// <summary>Options shared by the OLED drivers.</summary>
/// <param name="Rotation">Panel orientation.</param>
/// <param name="Contrast">Initial contrast, 0–255.</param>
/// <param name="ScreenSaver">Optional burn-in protection (dims and shifts after inactivity).</param>
public sealed record OledOptions(DisplayRotation Rotation = DisplayRotation.None, byte Contrast = 0x7F, ScreenSaver? ScreenSaver = null);

/// <summary>
/// The shared driver for 128×64 page-addressed OLED controllers (SSD1306, SH1106) over
/// <see cref="I2cDevice"/>. Subclasses provide only the init table and RAM geometry.
/// </summary>
/// <remarks>
/// <para>
/// Flushing: the driver keeps a shadow copy of what the panel RAM holds. <see cref="Present"/>
/// compares each page with it and sends only the changed column range of changed pages (page
/// address commands, then one data write with the 0x40 control byte first, from a preallocated
/// transfer buffer). Unchanged pages cost nothing, and the call does not allocate.
/// </para>
/// <para>
/// Errors: an <see cref="IOException"/> from the bus is rethrown to the caller (the UI loop backs
/// off and retries). The page that failed is marked unknown, so the next <see cref="Present"/>
/// rewrites it in full: the screen repairs itself. Every page write sets its own address first,
/// so a lost byte can never shift later pages ("glitching"). Display thread only.
/// </para>
/// </remarks>
public abstract class OledDisplay : IMonoDisplay
{
    private const int PanelWidth = 128;
    private const int PanelHeight = 64;
    private const int PanelPages = PanelHeight / 8;

    private readonly I2cDevice _device;
    private readonly bool _shouldDispose;
    private readonly int _ramWidth;
    private readonly int _columnOffset;
    private readonly byte[] _shadow = new byte[PanelPages * PanelWidth];
    private readonly bool[] _pageValid = new bool[PanelPages];
    private readonly byte[] _transfer;
    private readonly byte[] _command = new byte[8];
    private readonly MonoFrameBuffer _shifted = new(PanelWidth, PanelHeight);
    private readonly ScreenSaver? _screenSaver;
    private DisplayRotation _rotation;
    private byte _contrast;
    private byte _appliedContrast;
    private bool _isOn;
    private bool _disposed;

    /// <summary>Probes for the display, sends the init table, clears the whole RAM and turns the panel on.</summary>
    /// <param name="device">The I²C device (bus and address).</param>
    /// <param name="controller">Which controller (for messages and the simulator).</param>
    /// <param name="ramWidth">Columns of display RAM (128 or 132).</param>
    /// <param name="columnOffset">RAM column of the panel's first pixel.</param>
    /// <param name="initCommands">Power-on command table, without rotation, contrast and display-on.</param>
    /// <param name="options">Rotation, contrast, screen saver.</param>
    /// <param name="shouldDispose"><c>true</c> to dispose <paramref name="device"/> with this object.</param>
    /// <exception cref="IOException">No display answered at the address, or the init failed.</exception>
    protected OledDisplay(I2cDevice device, OledController controller, int ramWidth, int columnOffset, ReadOnlySpan<byte> initCommands, OledOptions? options, bool shouldDispose)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (ramWidth < PanelWidth || columnOffset < 0 || columnOffset + PanelWidth > ramWidth)
        {
            throw new ArgumentOutOfRangeException(nameof(columnOffset), columnOffset, $"The panel (128 columns at offset {columnOffset}) does not fit a {ramWidth}-column RAM.");
        }

        options ??= new OledOptions();
        _device = device;
        _shouldDispose = shouldDispose;
        Controller = controller;
        _ramWidth = ramWidth;
        _columnOffset = columnOffset;
        _transfer = new byte[1 + ramWidth];
        _rotation = options.Rotation;
        _contrast = options.Contrast;
        _screenSaver = options.ScreenSaver;
        try
        {
            Probe();
            SendCommands(initCommands);
            SendRotation();
            SendContrast(_contrast);
            ClearRam();
            SendCommand(OledCommand.DisplayOn);
            _isOn = true;
        }
        catch
        {
            if (shouldDispose)
            {
                device.Dispose();
            }

            throw;
        }
    }

    /// <inheritdoc/>
    public int Width => PanelWidth;

    /// <inheritdoc/>
    public int Height => PanelHeight;

    /// <summary>The controller chip.</summary>
    public OledController Controller { get; }

    /// <summary>Whether the panel is switched on.</summary>
    public bool IsOn => _isOn;

    /// <summary>The burn-in saver, if configured.</summary>
    public ScreenSaver? ScreenSaver => _screenSaver;

    /// <summary>Bytes (including control bytes, excluding the address byte) sent by the last <see cref="Present"/>.</summary>
    public int LastPresentBytes { get; private set; }

    /// <summary>I²C write transactions made by the last <see cref="Present"/>.</summary>
    public int LastPresentTransactions { get; private set; }

    /// <summary>Panel orientation. Changing it rewrites the whole screen on the next <see cref="Present"/>.</summary>
    /// <exception cref="IOException">The bus transfer failed.</exception>
    public DisplayRotation Rotation
    {
        get => _rotation;
        set
        {
            ThrowIfDisposed();
            if (value == _rotation)
            {
                return;
            }

            _rotation = value;
            // Segment remap only affects data written afterwards (SSD1306 §10.1.8): rewrite everything.
            Array.Clear(_pageValid);
            SendRotation();
        }
    }

    /// <summary>Contrast (0–255) used while the screen saver is not dimming.</summary>
    /// <exception cref="IOException">The bus transfer failed.</exception>
    public byte Contrast
    {
        get => _contrast;
        set
        {
            ThrowIfDisposed();
            _contrast = value;
            SendContrast(value);
        }
    }

    /// <summary>Switches the panel on (RAM content is kept while off).</summary>
    /// <exception cref="IOException">The bus transfer failed.</exception>
    public void TurnOn()
    {
        ThrowIfDisposed();
        SendCommand(OledCommand.DisplayOn);
        _isOn = true;
    }

    /// <summary>Switches the panel off (sleep mode, about 10 µA).</summary>
    /// <exception cref="IOException">The bus transfer failed.</exception>
    public void TurnOff()
    {
        ThrowIfDisposed();
        SendCommand(OledCommand.DisplayOff);
        _isOn = false;
    }

    /// <summary>Forgets what the panel shows, so the next <see cref="Present"/> rewrites every page (e.g. after a bus reset).</summary>
    public void Invalidate() => Array.Clear(_pageValid);

    /// <inheritdoc/>
    public void Present(MonoFrameBuffer frame)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Width != PanelWidth || frame.Height != PanelHeight)
        {
            throw new ArgumentException($"The display is {PanelWidth}x{PanelHeight}; the framebuffer is {frame.Width}x{frame.Height}.", nameof(frame));
        }

        LastPresentBytes = 0;
        LastPresentTransactions = 0;
        MonoFrameBuffer source = frame;
        if (_screenSaver is not null)
        {
            bool saving = _screenSaver.Evaluate(out int shiftX, out int shiftY);
            byte wanted = saving ? Math.Min(_screenSaver.Options.DimContrast, _contrast) : _contrast;
            if (wanted != _appliedContrast)
            {
                SendContrast(wanted);
            }

            if (shiftX != 0 || shiftY != 0)
            {
                Shift(frame, _shifted, shiftX, shiftY);
                source = _shifted;
            }
        }

        ReadOnlySpan<byte> pixels = source.Buffer;
        for (int page = 0; page < PanelPages; page++)
        {
            ReadOnlySpan<byte> wanted = pixels.Slice(page * PanelWidth, PanelWidth);
            Span<byte> shown = _shadow.AsSpan(page * PanelWidth, PanelWidth);
            int first;
            int last;
            if (_pageValid[page])
            {
                first = wanted.CommonPrefixLength(shown);
                if (first == PanelWidth)
                {
                    continue;
                }

                last = PanelWidth - 1;
                while (wanted[last] == shown[last])
                {
                    last--;
                }
            }
            else
            {
                first = 0;
                last = PanelWidth - 1;
            }

            WritePage(page, first, wanted.Slice(first, last - first + 1));
            wanted.Slice(first, last - first + 1).CopyTo(shown.Slice(first));
            _pageValid[page] = true;
        }
    }

    /// <summary>Turns the panel off (against burn-in while the box is not running) and releases the bus if owned.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing"><c>true</c> from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        try
        {
            SendCommand(OledCommand.DisplayOff);
        }
        catch (IOException)
        {
            // The display went away; nothing to switch off.
        }

        _disposed = true;
        if (_shouldDispose)
        {
            _device.Dispose();
        }
    }

    private void WritePage(int page, int firstColumn, ReadOnlySpan<byte> data)
    {
        int column = firstColumn + _columnOffset;
        try
        {
            // Page addressing (SSD1306 §10.1.3 / SH1106): page, lower and upper column nibble.
            Span<byte> command = _command.AsSpan(0, 4);
            command[0] = OledCommand.ControlCommandStream;
            command[1] = (byte)(OledCommand.SetPage | page);
            command[2] = (byte)(OledCommand.SetLowerColumn | (column & 0x0F));
            command[3] = (byte)(OledCommand.SetHigherColumn | (column >> 4));
            Transmit(command);
            _transfer[0] = OledCommand.ControlDataStream;
            data.CopyTo(_transfer.AsSpan(1));
            Transmit(_transfer.AsSpan(0, 1 + data.Length));
        }
        catch
        {
            _pageValid[page] = false; // part of the page may have been written: resend all of it next time
            throw;
        }
    }

    private void Probe()
    {
        try
        {
            SendCommand(OledCommand.Nop);
        }
        catch (IOException exception)
        {
            I2cConnectionSettings settings = _device.ConnectionSettings;
            throw new IOException($"No {Controller} display answered on I2C bus {settings.BusId} at address 0x{settings.DeviceAddress:X2} ({exception.Message}). Check wiring and power, and that I2C is enabled (dtparam=i2c_arm=on).", exception);
        }
    }

    private void ClearRam()
    {
        // Power-up RAM content is random (SSD1306 §8.7); clear all RAM columns (132 on SH1106) before the panel turns on.
        Array.Clear(_transfer);
        _transfer[0] = OledCommand.ControlDataStream;
        for (int page = 0; page < PanelPages; page++)
        {
            Span<byte> command = _command.AsSpan(0, 4);
            command[0] = OledCommand.ControlCommandStream;
            command[1] = (byte)(OledCommand.SetPage | page);
            command[2] = OledCommand.SetLowerColumn;
            command[3] = OledCommand.SetHigherColumn;
            Transmit(command);
            Transmit(_transfer.AsSpan(0, 1 + _ramWidth));
        }

        Array.Clear(_shadow);
        Array.Fill(_pageValid, true);
    }

    private void SendRotation()
    {
        bool upright = _rotation == DisplayRotation.None;
        Span<byte> command = _command.AsSpan(0, 3);
        command[0] = OledCommand.ControlCommandStream;
        command[1] = upright ? OledCommand.SegmentRemapOn : OledCommand.SegmentRemapOff;
        command[2] = upright ? OledCommand.ComScanRemapped : OledCommand.ComScanNormal;
        Transmit(command);
    }

    private void SendContrast(byte contrast)
    {
        Span<byte> command = _command.AsSpan(0, 3);
        command[0] = OledCommand.ControlCommandStream;
        command[1] = OledCommand.SetContrast;
        command[2] = contrast;
        Transmit(command);
        _appliedContrast = contrast;
    }

    private void SendCommand(byte value)
    {
        Span<byte> command = _command.AsSpan(0, 2);
        command[0] = OledCommand.ControlCommandStream;
        command[1] = value;
        Transmit(command);
    }

    private void SendCommands(ReadOnlySpan<byte> commands)
    {
        Span<byte> buffer = _transfer.AsSpan(0, 1 + commands.Length);
        buffer[0] = OledCommand.ControlCommandStream;
        commands.CopyTo(buffer.Slice(1));
        Transmit(buffer);
    }

    private void Transmit(ReadOnlySpan<byte> bytes)
    {
        _device.Write(bytes);
        LastPresentBytes += bytes.Length;
        LastPresentTransactions++;
    }

    private static void Shift(MonoFrameBuffer source, MonoFrameBuffer destination, int shiftX, int shiftY)
    {
        ReadOnlySpan<byte> from = source.Buffer;
        Span<byte> to = destination.Buffer;
        for (int x = 0; x < PanelWidth; x++)
        {
            int sourceX = x - shiftX;
            ulong column = 0;
            if ((uint)sourceX < PanelWidth)
            {
                for (int page = 0; page < PanelPages; page++)
                {
                    column |= (ulong)from[(page * PanelWidth) + sourceX] << (8 * page);
                }

                column = shiftY >= 0 ? column << shiftY : column >> -shiftY;
            }

            for (int page = 0; page < PanelPages; page++)
            {
                to[(page * PanelWidth) + x] = (byte)(column >> (8 * page));
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
