using HardwareMaster.App.Engine;
using HardwareMaster.App.Parameters;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;

namespace HardwareMaster.App.Simulator;

/// <summary>
/// A deliberately plain face for the host's own tests and as the fallback until the real BoxFace is wired: two pages
/// ("main": short-term loudness; "edit": the focused registry parameter), param walks the registry, value nudges the
/// focused parameter, BYPASS toggles the global bypass, EQ/COMP/LIMIT the stage bypasses. LEDs: lit = stage active /
/// global bypass in. Renders only when something changed; nothing allocates per frame while nothing changes.
/// </summary>
internal sealed class PlaceholderFace : IBoxFace
{
    private static readonly string[] Pages = ["main", "edit"];

    private readonly IBoxBackend _backend;
    private readonly int _eqBypass;
    private readonly int _compBypass;
    private readonly int _limiterBypass;
    private readonly char[] _text = new char[32];
    private int _page;
    private int _param;
    private bool _dirty = true;
    private int _shownLufs = int.MinValue;

    public PlaceholderFace(IBoxBackend backend)
    {
        _backend = backend;
        ParameterRegistry registry = backend.Registry;
        _eqBypass = registry.IndexOf("eq.bypass");
        _compBypass = registry.IndexOf("comp.bypass");
        _limiterBypass = registry.IndexOf("limiter.bypass");
    }

    public string PageName => Pages[_page];

    public bool IsDirty => _dirty;

    /// <summary>The focused registry index.</summary>
    public int Focus => _param;

    /// <summary>The last meter snapshot read.</summary>
    public MeterSnapshot Meters { get; private set; }

    public void Handle(in BoxInput input)
    {
        int steps = input.Action == BoxAction.Ccw ? -input.Count : input.Count;
        switch (input.Control)
        {
            case BoxControl.Page when input.Action is BoxAction.Cw or BoxAction.Ccw:
                _page = Math.Clamp(_page + steps, 0, Pages.Length - 1);
                break;
            case BoxControl.Param when input.Action is BoxAction.Cw or BoxAction.Ccw:
                _param = Math.Clamp(_param + steps, 0, _backend.Registry.Count - 1);
                break;
            case BoxControl.Value when input.Action is BoxAction.Cw or BoxAction.Ccw:
                ParameterDefinition definition = _backend.Registry.All[_param];
                _backend.TrySet(_param, definition.Nudge(_backend.Get(_param), steps));
                break;
            case BoxControl.Value when input.Action == BoxAction.Long:
                _backend.TrySet(_param, _backend.Registry.All[_param].Default);
                break;
            case BoxControl.Bypass when input.Action == BoxAction.Press:
                _backend.GlobalBypass = !_backend.GlobalBypass;
                break;
            case BoxControl.Eq when input.Action == BoxAction.Press:
                Toggle(_eqBypass);
                break;
            case BoxControl.Comp when input.Action == BoxAction.Press:
                Toggle(_compBypass);
                break;
            case BoxControl.Limit when input.Action == BoxAction.Press:
                Toggle(_limiterBypass);
                break;
            default:
                return;
        }

        _dirty = true;
    }

    public void Tick()
    {
        Meters = _backend.ReadMeters();
        double lufs = Meters.ShortTermLufs;
        int tenths = double.IsFinite(lufs) ? (int)Math.Round(lufs * 10) : int.MinValue;
        if (tenths != _shownLufs && _page == 0)
        {
            _shownLufs = tenths;
            _dirty = true;
        }
    }

    public void Render(MonoFrameBuffer frame)
    {
        frame.Clear();
        frame.DrawText(0, 0, PageName, MonoFont.Small);
        if (_page == 0)
        {
            int n = Format(_shownLufs, _text);
            frame.DrawText(0, 24, _text.AsSpan(0, n), MonoFont.Large);
            frame.DrawText(0, 48, "LUFS S", MonoFont.Small);
        }
        else
        {
            ParameterDefinition definition = _backend.Registry.All[_param];
            frame.DrawText(0, 16, definition.Id, MonoFont.Small);
            int n = Format((int)Math.Round(_backend.Get(_param) * 10), _text);
            frame.DrawText(0, 32, _text.AsSpan(0, n), MonoFont.Large);
        }

        _dirty = false;
    }

    public bool IsLedLit(BoxControl button) => button switch
    {
        BoxControl.Bypass => _backend.GlobalBypass,
        BoxControl.Eq => _backend.Get(_eqBypass) < 0.5,
        BoxControl.Comp => _backend.Get(_compBypass) < 0.5,
        BoxControl.Limit => _backend.Get(_limiterBypass) < 0.5,
        _ => false,
    };

    private void Toggle(int index) => _backend.TrySet(index, _backend.Get(index) >= 0.5 ? 0 : 1);

    // Tenths as "-14.2" without allocating.
    private static int Format(int tenths, Span<char> destination)
    {
        if (tenths == int.MinValue)
        {
            "--.-".CopyTo(destination);
            return 4;
        }

        int whole = Math.Abs(tenths) / 10;
        int n = 0;
        if (tenths < 0)
        {
            destination[n++] = '-';
        }

        whole.TryFormat(destination[n..], out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        n += written;
        destination[n++] = '.';
        destination[n++] = (char)('0' + (Math.Abs(tenths) % 10));
        return n;
    }
}
