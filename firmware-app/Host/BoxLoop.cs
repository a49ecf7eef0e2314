using System.Diagnostics;
using HardwareMaster.App.Simulator;
using HardwareMaster.App.Ui;
using HardwareMaster.Hal.Display;
using HardwareMaster.Hal.Simulation;

namespace HardwareMaster.App.Host;

/// <summary>
/// The box's UI loop, one frame at a time: drain the gestures into the face, play the script's due gestures, tick,
/// render into a <see cref="MonoFrameBuffer"/>, present it to the OLED, follow the LEDs, and show new screens in the
/// views. Every exception from the face, the display or a view is caught and counted: the loop and the audio go on.
/// </summary>
/// <remarks>One UI thread (never the audio thread); a frame allocates nothing in steady state.</remarks>
public sealed class BoxLoop
{
    /// <summary>Frame rate, frames per second.</summary>
    public const int FramesPerSecond = 25;

    private static readonly BoxControl[] Buttons = [BoxControl.Bypass, BoxControl.Eq, BoxControl.Comp, BoxControl.Limit, BoxControl.Rec, BoxControl.Ref];

    private readonly BoxLoopParts _parts;
    private readonly MonoFrameBuffer _frame = new();
    private readonly MonoFrameBuffer _decoded = new();
    private readonly MonoFrameBuffer _shown = new();
    private readonly bool[] _leds = new bool[Buttons.Length];
    private readonly ManualResetEventSlim _ownWake = new(false);
    private readonly List<string> _pagesVisited = new(16);
    private string _shownPage = string.Empty;
    private bool _ledsKnown;
    private bool _shownOnce;

    /// <summary>Creates the loop (starts nothing).</summary>
    /// <param name="parts">Its parts.</param>
    public BoxLoop(BoxLoopParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        _parts = parts;
    }

    /// <summary>Frames run.</summary>
    public long Frames { get; private set; }

    /// <summary>Gestures handed to the face (inputs and script).</summary>
    public long Gestures { get; private set; }

    /// <summary>Exceptions thrown by the face (Handle, Tick, Render), caught.</summary>
    public long FaceFailures { get; private set; }

    /// <summary>Exceptions thrown by a view or the LEDs, caught.</summary>
    public long ViewFailures { get; private set; }

    /// <summary>Times the screen changed (what the views got).</summary>
    public long ScreenChanges { get; private set; }

    /// <summary>The last exception's message (face, view, LEDs), or null.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>The pages shown so far, in the order first seen.</summary>
    public IReadOnlyList<string> PagesVisited => _pagesVisited;

    /// <summary>The face.</summary>
    public IBoxFace Face => _parts.Face;

    /// <summary>The display link.</summary>
    public DisplayLink Display => _parts.Display;

    /// <summary>The script player, or null.</summary>
    public ScriptPlayer? Script => _parts.Script;

    /// <summary>The frame last rendered.</summary>
    public MonoFrameBuffer Frame => _frame;

    /// <summary>Whether LED <paramref name="button"/> was lit at the last frame.</summary>
    /// <param name="button">Bypass, Eq, Comp, Limit or Rec.</param>
    /// <returns>Lit or not.</returns>
    public bool IsLedLit(BoxControl button) => _leds[Array.IndexOf(Buttons, button)];

    /// <summary>Runs one frame.</summary>
    public void RunFrame()
    {
        IBoxFace face = _parts.Face;
        IReadOnlyList<IBoxInputSource> inputs = _parts.Inputs;
        for (int i = 0; i < inputs.Count; i++)
        {
            while (inputs[i].TryRead(out BoxInput input))
            {
                _parts.ScreenSaver?.NotifyActivity();
                Gestures++;
                try
                {
                    face.Handle(input);
                }
                catch (Exception ex)
                {
                    FaceFailed(ex);
                }
            }
        }

        if (_parts.Script is { } script && _parts.Timeline is { IsRunning: true } timeline)
        {
            try
            {
                int played = script.Play(face, timeline.SampleRateHz, timeline.FramesProcessed);
                if (played > 0)
                {
                    Gestures += played;
                    _parts.ScreenSaver?.NotifyActivity();
                }
            }
            catch (Exception ex)
            {
                FaceFailed(ex);
            }
        }

        if (_parts.Remote is { } remoteCommands)
        {
            try
            {
                remoteCommands.ApplyCommands();
            }
            catch (Exception ex)
            {
                FaceFailed(ex);
            }
        }

        try
        {
            face.Tick();
            if (Frames == 0 || face.IsDirty)
            {
                face.Render(_frame);
            }
        }
        catch (Exception ex)
        {
            FaceFailed(ex);
        }

        _parts.Display.Present(_frame);
        MonoFrameBuffer panel = _frame;
        if (_parts.Panel is { } decoder)
        {
            decoder.Render(_decoded);
            panel = _decoded;
        }

        if (_parts.Remote is { } remoteState)
        {
            try
            {
                remoteState.Publish(readMeters: false);
            }
            catch (Exception ex)
            {
                FaceFailed(ex);
            }
        }

        if (_parts.AfterFrame is { } chores)
        {
            try
            {
                chores();
            }
            catch (Exception ex)
            {
                ViewFailures++;
                LastFailure = ex.Message;
            }
        }

        bool ledsChanged = UpdateLeds(face);
        Frames++;
        string page = SafePage(face);
        bool screenChanged = !_shownOnce || !panel.ContentEquals(_shown);
        if (screenChanged || ledsChanged || !ReferenceEquals(page, _shownPage))
        {
            _shownOnce = true;
            if (screenChanged)
            {
                _shown.CopyFrom(panel);
                ScreenChanges++;
            }

            if (!ReferenceEquals(page, _shownPage) && !_pagesVisited.Contains(page))
            {
                _pagesVisited.Add(page);
            }

            _shownPage = page;
            var state = new BoxViewState(page, _leds[0], _leds[1], _leds[2], _leds[3]);
            if (_parts.Views is { } views)
            {
                for (int i = 0; i < views.Count; i++)
                {
                    try
                    {
                        views[i].Show(panel, state, screenChanged);
                    }
                    catch (Exception ex)
                    {
                        ViewFailures++;
                        LastFailure = ex.Message;
                    }
                }
            }
        }
    }

    /// <summary>Runs frames at <see cref="FramesPerSecond"/> until <paramref name="stop"/> is cancelled; then releases the gate.</summary>
    /// <param name="stop">Stops the loop.</param>
    public void Run(CancellationToken stop)
    {
        ManualResetEventSlim wake = _parts.Gate?.UiWake ?? _ownWake;
        long period = Stopwatch.Frequency / FramesPerSecond;
        long next = Stopwatch.GetTimestamp();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                wake.Reset();
                RunFrame();
                next += period;
                long now = Stopwatch.GetTimestamp();
                if (next < now - period)
                {
                    next = now; // fell behind (a slow display): no burst of catch-up frames
                }

                long waitMs = (next - now) * 1000 / Stopwatch.Frequency;
                if (waitMs > 0)
                {
                    wake.Wait((int)Math.Min(waitMs, 1000));
                }
            }
        }
        finally
        {
            _parts.Gate?.Release();
        }
    }

    private bool UpdateLeds(IBoxFace face)
    {
        bool changed = !_ledsKnown;
        for (int i = 0; i < Buttons.Length; i++)
        {
            bool lit;
            try
            {
                lit = face.IsLedLit(Buttons[i]);
            }
            catch (Exception ex)
            {
                FaceFailed(ex);
                continue;
            }

            if (lit != _leds[i] || !_ledsKnown)
            {
                changed = true;
                _leds[i] = lit;
                try
                {
                    _parts.Leds?.Set(Buttons[i], lit);
                }
                catch (Exception ex)
                {
                    ViewFailures++;
                    LastFailure = ex.Message;
                }
            }
        }

        _ledsKnown = true;
        return changed;
    }

    private string SafePage(IBoxFace face)
    {
        try
        {
            return face.PageName ?? string.Empty;
        }
        catch (Exception ex)
        {
            FaceFailed(ex);
            return string.Empty;
        }
    }

    private void FaceFailed(Exception ex)
    {
        FaceFailures++;
        LastFailure = ex.Message;
    }
}
