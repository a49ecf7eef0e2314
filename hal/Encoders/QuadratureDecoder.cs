namespace HardwareMaster.Hal.Encoders;

/// <summary>
/// Pure quadrature decoder for mechanical rotary encoders, driven by samples of the A and B
/// contacts. Returns one step per detent and is immune to contact bounce.
/// </summary>
/// <remarks>
/// <para>
/// Every pair (previous AB, current AB) is looked up in the full 16-entry Gray-code transition
/// table: a valid neighbour transition counts ±1, "no change" and the two impossible double
/// transitions (both contacts changed between samples) count 0. Bounce on one contact produces
/// +1 −1 +1 … pairs that cancel, so it can never add or lose a detent.
/// </para>
/// <para>
/// Detents are recognised in the rest state (the AB state the encoder sits in at a detent; by
/// default the first sample). Arriving at rest with at least half a detent of net motion emits one
/// step and resynchronises; this also recovers alignment after a lost transition.
/// Clockwise (+1) is the sequence 00 → 10 → 11 → 01 → 00 (A leads B), written as (A,B).
/// </para>
/// <para>Not thread-safe; one instance per encoder, called from one thread at a time.</para>
/// </remarks>
public sealed class QuadratureDecoder
{
    // index = (previous << 2) | current, with state = (A << 1) | B.
    private static ReadOnlySpan<sbyte> TransitionTable =>
    [
        0, -1, +1, 0,  // from 00: to 00 none, 01 ccw, 10 cw, 11 invalid
        +1, 0, 0, -1,  // from 01: to 00 cw, 01 none, 10 invalid, 11 ccw
        -1, 0, 0, +1,  // from 10: to 00 ccw, 01 invalid, 10 none, 11 cw
        0, +1, -1, 0,  // from 11: to 00 invalid, 01 cw, 10 ccw, 11 none
    ];

    private readonly int _transitionsPerDetent;
    private int _state = -1;
    private int _restState;
    private int _accumulated;

    /// <summary>Creates a decoder.</summary>
    /// <param name="transitionsPerDetent">Quadrature transitions between two detents: 4 (most EC11 parts), 2 or 1.</param>
    /// <param name="restState">The AB state ((A &lt;&lt; 1) | B, 0–3) at a detent, or −1 to take the first sample.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public QuadratureDecoder(int transitionsPerDetent = 4, int restState = -1)
    {
        if (transitionsPerDetent is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(transitionsPerDetent), transitionsPerDetent, "Transitions per detent must be 1, 2 or 4.");
        }

        if (restState is < -1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(restState), restState, "The rest state must be -1 (first sample) or 0..3.");
        }

        _transitionsPerDetent = transitionsPerDetent;
        _restState = restState;
    }

    /// <summary>Quadrature transitions per detent.</summary>
    public int TransitionsPerDetent => _transitionsPerDetent;

    /// <summary>Number of impossible transitions (both contacts changed between two samples) seen so far.</summary>
    public long InvalidTransitions { get; private set; }

    /// <summary>Feeds one sample of both contacts.</summary>
    /// <param name="a">Level of contact A (<c>true</c> = high).</param>
    /// <param name="b">Level of contact B.</param>
    /// <returns>+1 for a clockwise detent, −1 for a counter-clockwise detent, 0 otherwise.</returns>
    public int Step(bool a, bool b)
    {
        int current = (a ? 2 : 0) | (b ? 1 : 0);
        if (_state < 0)
        {
            _state = current;
            if (_restState < 0)
            {
                _restState = current;
            }

            return 0;
        }

        int previous = _state;
        if (previous == current)
        {
            return 0;
        }

        _state = current;
        int delta = TransitionTable[(previous << 2) | current];
        if (delta == 0)
        {
            InvalidTransitions++;
        }

        _accumulated += delta;
        if (IsRest(current))
        {
            int accumulated = _accumulated;
            _accumulated = 0;
            if (2 * Math.Abs(accumulated) >= _transitionsPerDetent)
            {
                return Math.Sign(accumulated);
            }

            return 0;
        }

        if (_accumulated >= _transitionsPerDetent)
        {
            _accumulated -= _transitionsPerDetent;
            return 1;
        }

        if (_accumulated <= -_transitionsPerDetent)
        {
            _accumulated += _transitionsPerDetent;
            return -1;
        }

        return 0;
    }

    /// <summary>Forgets the current position; the next sample becomes the reference (and the rest state if it was learned).</summary>
    public void Reset()
    {
        _state = -1;
        _accumulated = 0;
    }

    private bool IsRest(int state) => _transitionsPerDetent switch
    {
        1 => true,
        2 => state == _restState || state == (_restState ^ 3),
        _ => state == _restState,
    };
}
