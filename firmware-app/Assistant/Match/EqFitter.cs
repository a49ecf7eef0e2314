using HardwareMaster.App.Parameters;
using HardwareMaster.Dsp.Processors;

namespace HardwareMaster.App.Assistant.Match;

/// <summary>
/// Fits the chain's five tone bands (low shelf, three bells, high shelf) to a difference curve on a log-frequency grid:
/// weighted least squares with a free level offset (the loudness target sets the level, so only the shape is fitted),
/// greedy placement of one band at a time where it removes the most residual, then a joint Levenberg–Marquardt
/// refinement of every placed band's frequency, gain and Q inside their bounds.
/// </summary>
/// <remarks>
/// <para>Bounds: each gain within ±<see cref="MaxGainDb"/> dB; frequencies and Q within the registry's ranges of the
/// band's knobs. Unless extremes are allowed, the EQ may not boost outside the fitted range: below its lowest and above
/// its highest frequency the response may not rise more than <see cref="EdgeToleranceDb"/> above the higher of 0 dB and
/// the response at that edge (a shelf that boosts inside the range may stay flat beyond it; a band that boosts only out
/// there is penalised away), and no band's centre or corner frequency lies outside the range.</para>
/// <para>The grid is evenly spaced in log frequency, so every octave weighs the same (a linear-frequency fit would let
/// the top octave outvote the bottom five).</para>
/// </remarks>
public sealed class EqFitter
{
    /// <summary>Largest boost or cut the fit sets, dB (narrower than the knobs' ±12: a match is a correction, not a remix).</summary>
    public const double MaxGainDb = 6;

    /// <summary>How far the response may rise beyond the edges of the fitted range, dB.</summary>
    public const double EdgeToleranceDb = 0.25;

    /// <summary>
    /// Lowest bell Q the fit uses (the knob goes to 0.1). A bell wider than about four octaves mostly moves the level of
    /// everything, which the free level offset (the loudness target) already does: with such bells allowed the fit
    /// trades two shelves for one very wide cut, which sounds the same but is not what an engineer would set.
    /// </summary>
    public const double MinBellQ = 0.4;

    private const double RidgeWeight = 1e-4;
    private const double AnchorWeight = 5e-3;

    // A band is kept only when it lowers the objective (mean square error, dB²) by this much: a 0.5 dB bell of Q 1
    // removes about 0.02 dB², a bell that chases the noise of the spectra a few 0.0001 dB².
    private const double MinImprovement = 1e-3;
    private const double PenaltyWeight = 30;

    private readonly int _sampleRateHz;
    private readonly double[] _points;   // grid frequencies, then the outside points
    private readonly int _grid;          // how many of _points are the fitted grid
    private readonly int _lowOutside;    // outside points below the grid: _points[_grid .. _grid + _lowOutside)
    private readonly double[] _target;
    private readonly double[] _weight;   // normalised to sum 1
    private readonly double[] _fixed;    // response of the bands that are not fitted (low and high cut), all points
    private readonly Slot[] _slots;
    private readonly double[] _model;
    private readonly double[] _anchor;   // weights of the grid points in the octave around 1 kHz
    private readonly double _anchorWeight;

    /// <summary>Prepares a fit.</summary>
    /// <param name="sampleRateHz">The rate the chain will run at.</param>
    /// <param name="gridHz">The fitted frequencies, ascending, log-spaced.</param>
    /// <param name="targetDb">The difference to fit, dB, per grid point.</param>
    /// <param name="weight">Weight per grid point (0 leaves a point out).</param>
    /// <param name="fixedBands">EQ bands that stay as they are (their response is part of the model).</param>
    /// <param name="start">The bands' starting frequencies and Q (gains are ignored: every band starts flat), in <see cref="EqModel.ToneBands"/> order.</param>
    /// <param name="outsideHz">Frequencies outside the grid where boosting is penalised (empty: extremes allowed).</param>
    public EqFitter(int sampleRateHz, IReadOnlyList<double> gridHz, IReadOnlyList<double> targetDb, IReadOnlyList<double> weight, IReadOnlyList<EqBandSettings> fixedBands, IReadOnlyList<ToneBand> start, IReadOnlyList<double> outsideHz)
    {
        ArgumentNullException.ThrowIfNull(gridHz);
        ArgumentNullException.ThrowIfNull(outsideHz);
        _sampleRateHz = sampleRateHz;
        _grid = gridHz.Count;
        _lowOutside = outsideHz.Count(f => f < gridHz[0]);
        _points = [.. gridHz, .. outsideHz.Where(f => f < gridHz[0]), .. outsideHz.Where(f => f > gridHz[^1])];
        _target = [.. targetDb];
        double sum = weight.Sum();
        _weight = weight.Select(w => sum > 0 ? w / sum : 0).ToArray();
        _fixed = new double[_points.Length];
        foreach (EqBandSettings band in fixedBands)
        {
            EqModel.AddBandResponse(band, sampleRateHz, _points, _fixed);
        }

        _slots = new Slot[start.Count];
        for (int s = 0; s < start.Count; s++)
        {
            ParameterRegistry registry = ParameterRegistry.Chain;
            ParameterDefinition f = registry[start[s].Prefix + ".freq"], q = registry[start[s].Prefix + ".q"];
            // Guarded (outside points given): no band's centre or corner outside the fitted range either.
            bool guarded = outsideHz.Count > 0;
            _slots[s] = new Slot(start[s], _points.Length)
            {
                MinLogF = Math.Log2(guarded ? Math.Max(f.Minimum, gridHz[0]) : f.Minimum),
                MaxLogF = Math.Log2(Math.Min(guarded ? Math.Min(f.Maximum, gridHz[^1]) : f.Maximum, 0.49 * sampleRateHz)),
                MinLogQ = Math.Log2(start[s].Type == EqBandType.Bell ? Math.Max(q.Minimum, MinBellQ) : q.Minimum),
                MaxLogQ = Math.Log2(q.Maximum),
            };
        }

        _model = new double[_points.Length];
        _anchor = new double[_grid];
        for (int i = 0; i < _grid; i++)
        {
            _anchor[i] = _points[i] >= 1000 / Math.Sqrt(2) && _points[i] <= 1000 * Math.Sqrt(2) ? _weight[i] : 0;
        }

        _anchorWeight = _anchor.Sum();
    }

    /// <summary>Weighted RMS (dB) of the difference before any band, level offset removed.</summary>
    public double InitialRmsDb { get; private set; }

    /// <summary>Weighted RMS (dB) of what the fitted bands leave, level offset removed.</summary>
    public double FinalRmsDb { get; private set; }

    /// <summary>The level offset the fit found (what the loudness stage absorbs), dB.</summary>
    public double OffsetDb { get; private set; }

    /// <summary>Runs the fit; returns the five bands (unused ones at 0 dB, their start frequency and Q), bells sorted by frequency.</summary>
    /// <remarks>
    /// With the level free, a curve has several near-equal fits: two shelves that lift both ends, or one very wide cut in
    /// the middle. The fit is run twice, placing bands against the freely offset residual and against the residual held
    /// at the level of the octave around 1 kHz (where engineers pivot a tonal balance), and keeps the one with the lower
    /// objective; a weak term in the objective prefers the EQ to leave that octave's level alone, which breaks the tie.
    /// </remarks>
    /// <returns>The bands in <see cref="EqModel.ToneBands"/> order.</returns>
    public ToneBand[] Fit()
    {
        Recompute();
        InitialRmsDb = Math.Sqrt(Cost(includeRegularisation: false));
        double bestObjective = double.MaxValue;
        (bool Active, double LogF, double Gain, double LogQ)[]? best = null;
        foreach (bool anchored in new[] { false, true })
        {
            foreach (Slot slot in _slots)
            {
                slot.Active = false;
                slot.Gain = 0;
                Redesign(slot);
            }

            Recompute();
            while (_slots.Any(s => !s.Active))
            {
                double before = Cost(includeRegularisation: true);
                var saved = Snapshot();
                if (!PlaceBest(before, anchored))
                {
                    break;
                }

                Refine(iterations: 25);
                if (before - Cost(includeRegularisation: true) < MinImprovement)
                {
                    Restore(saved); // a band that removes next to nothing would only fit the noise of the spectra
                    break;
                }
            }

            Refine(iterations: 40);
            double objective = Cost(includeRegularisation: true);
            if (objective < bestObjective)
            {
                bestObjective = objective;
                best = Snapshot();
            }
        }

        Restore(best!);
        FinalRmsDb = Math.Sqrt(Cost(includeRegularisation: false));
        return Result();
    }

    private (bool Active, double LogF, double Gain, double LogQ)[] Snapshot() => _slots.Select(s => (s.Active, s.LogF, s.Gain, s.LogQ)).ToArray();

    private void Restore((bool Active, double LogF, double Gain, double LogQ)[] saved)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            (_slots[i].Active, _slots[i].LogF, _slots[i].Gain, _slots[i].LogQ) = saved[i];
            Redesign(_slots[i]);
        }

        Recompute();
    }

    private ToneBand[] Result()
    {
        var bands = _slots.Select(s => s.Active && Math.Abs(s.Gain) >= 0.05 ? s.Band : s.Start with { GainDb = 0 }).ToArray();

        // The three bells are interchangeable: number them from low to high, as an engineer would lay them out.
        int[] bellSlots = Enumerable.Range(0, bands.Length).Where(i => bands[i].Type == EqBandType.Bell).ToArray();
        var bells = bellSlots.Select(i => bands[i]).OrderBy(b => b.GainDb == 0 ? 1 : 0).ThenBy(b => b.FrequencyHz).ToArray();
        var active = bells.Where(b => b.GainDb != 0).OrderBy(b => b.FrequencyHz).Concat(bells.Where(b => b.GainDb == 0)).ToArray();
        for (int k = 0; k < bellSlots.Length; k++)
        {
            ToneBand slot = _slots[bellSlots[k]].Start;
            bands[bellSlots[k]] = active[k] with { Prefix = slot.Prefix, ChainBand = slot.ChainBand };
        }

        return bands;
    }

    // Places one unused band where it removes the most residual (gain by least squares on its shape at ±3 dB).
    private bool PlaceBest(double currentCost, bool anchored)
    {
        double offset = anchored && _anchorWeight > 0 ? AnchorMean(_target) - AnchorMean(_model) : Offset();
        double[] residual = new double[_grid];
        for (int i = 0; i < _grid; i++)
        {
            residual[i] = _target[i] - _model[i] - offset;
        }

        // Candidates are compared with the residual as measured here (free or anchored level), not with the objective.
        double baseline = 0;
        for (int i = 0; i < _grid; i++)
        {
            baseline += _weight[i] * residual[i] * residual[i];
        }

        double bestGain = double.NaN, bestCost = Math.Min(baseline, anchored ? baseline : currentCost);
        int bestSlot = -1;
        double bestLogF = 0, bestLogQ = 0;
        double[] shape = new double[_points.Length];
        foreach (Slot slot in _slots.Where(s => !s.Active).DistinctBy(s => s.Start.Type))
        {
            foreach ((double f, double q) in Candidates(slot, residual))
            {
                Array.Clear(shape);
                var trial = new EqBandSettings { Type = slot.Start.Type, FrequencyHz = f, GainDb = 3, Q = q };
                EqModel.AddBandResponse(trial, _sampleRateHz, _points, shape);
                double mean = 0;
                if (anchored && _anchorWeight > 0)
                {
                    mean = AnchorMean(shape) / 3;
                }
                else
                {
                    for (int i = 0; i < _grid; i++)
                    {
                        mean += _weight[i] * shape[i] / 3;
                    }
                }

                double num = 0, den = 0;
                for (int i = 0; i < _grid; i++)
                {
                    double u = (shape[i] / 3) - mean;
                    num += _weight[i] * u * residual[i];
                    den += _weight[i] * u * u;
                }

                if (den <= 1e-12)
                {
                    continue;
                }

                double gain = Math.Clamp(num / den, -MaxGainDb, MaxGainDb);
                double cost = 0;
                for (int i = 0; i < _grid; i++)
                {
                    double e = residual[i] - (gain * ((shape[i] / 3) - mean));
                    cost += _weight[i] * e * e;
                }

                if (cost < bestCost - 1e-6)
                {
                    bestCost = cost;
                    bestGain = gain;
                    bestSlot = Array.IndexOf(_slots, slot);
                    bestLogF = Math.Log2(f);
                    bestLogQ = Math.Log2(q);
                }
            }
        }

        if (bestSlot < 0)
        {
            return false;
        }

        Slot chosen = _slots[bestSlot];
        chosen.Active = true;
        chosen.LogF = Math.Clamp(bestLogF, chosen.MinLogF, chosen.MaxLogF);
        chosen.Gain = bestGain;
        chosen.LogQ = Math.Clamp(bestLogQ, chosen.MinLogQ, chosen.MaxLogQ);
        Redesign(chosen);
        Recompute();
        return true;
    }

    private IEnumerable<(double FrequencyHz, double Q)> Candidates(Slot slot, double[] residual)
    {
        double lo = Math.Max(Math.Pow(2, slot.MinLogF), _points[0]);
        double hi = Math.Min(Math.Pow(2, slot.MaxLogF), _points[_grid - 1]);
        if (slot.Start.Type is EqBandType.LowShelf or EqBandType.HighShelf)
        {
            for (double f = lo; f <= hi * 1.0001; f *= Math.Pow(2, 1.0 / 3))
            {
                yield return (f, 0.7071);
            }

            yield break;
        }

        // Bells: at the largest local extrema of the residual.
        var extrema = new List<(double Size, double Hz)>();
        for (int i = 0; i < _grid; i++)
        {
            double a = Math.Abs(residual[i]);
            bool peak = (i == 0 || a >= Math.Abs(residual[i - 1])) && (i == _grid - 1 || a >= Math.Abs(residual[i + 1]));
            if (peak && _weight[i] > 0 && _points[i] >= lo && _points[i] <= hi)
            {
                extrema.Add((a, _points[i]));
            }
        }

        foreach ((double _, double hz) in extrema.OrderByDescending(e => e.Size).Take(8))
        {
            foreach (double q in new[] { 0.5, 1.0, 2.0, 4.0 })
            {
                yield return (hz, q);
            }
        }
    }

    // Levenberg–Marquardt over (log2 f, gain, log2 Q) of every active band, numerical Jacobian, box bounds by clamping.
    private void Refine(int iterations)
    {
        Slot[] active = _slots.Where(s => s.Active).ToArray();
        int parameters = active.Length * 3;
        if (parameters == 0)
        {
            return;
        }

        double[] r0 = Residuals();
        double cost = Dot(r0, r0);
        double lambda = 1e-2;
        var jacobian = new double[r0.Length, parameters];
        var step = new double[parameters];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            for (int p = 0; p < parameters; p++)
            {
                Slot slot = active[p / 3];
                double h = (p % 3) == 1 ? 0.01 : 0.005;
                double saved = slot.Get(p % 3);
                slot.Set(p % 3, saved + h);
                Redesign(slot);
                Recompute();
                double[] r = Residuals();
                for (int i = 0; i < r.Length; i++)
                {
                    jacobian[i, p] = (r[i] - r0[i]) / h;
                }

                slot.Set(p % 3, saved);
                Redesign(slot);
            }

            Recompute();
            var normal = new double[parameters, parameters];
            var gradient = new double[parameters];
            for (int a = 0; a < parameters; a++)
            {
                for (int i = 0; i < r0.Length; i++)
                {
                    gradient[a] += jacobian[i, a] * r0[i];
                }

                for (int b = a; b < parameters; b++)
                {
                    double sum = 0;
                    for (int i = 0; i < r0.Length; i++)
                    {
                        sum += jacobian[i, a] * jacobian[i, b];
                    }

                    normal[a, b] = normal[b, a] = sum;
                }
            }

            double floor = 1e-9;
            for (int a = 0; a < parameters; a++)
            {
                floor = Math.Max(floor, 1e-7 * normal[a, a]);
            }

            bool improved = false;
            double[] saved0 = active.SelectMany(s => new[] { s.LogF, s.Gain, s.LogQ }).ToArray();
            for (int attempt = 0; attempt < 8 && !improved; attempt++)
            {
                var damped = (double[,])normal.Clone();
                for (int a = 0; a < parameters; a++)
                {
                    damped[a, a] += lambda * (normal[a, a] + floor);
                }

                if (!Solve(damped, gradient, step))
                {
                    lambda *= 10;
                    continue;
                }

                for (int p = 0; p < parameters; p++)
                {
                    active[p / 3].Set(p % 3, saved0[p] - step[p]);
                }

                foreach (Slot s in active)
                {
                    s.Clamp();
                    Redesign(s);
                }

                Recompute();
                double[] r = Residuals();
                double trial = Dot(r, r);
                if (trial < cost)
                {
                    improved = trial < cost * (1 - 1e-7);
                    cost = trial;
                    r0 = r;
                    lambda = Math.Max(1e-6, lambda / 3);
                    if (!improved)
                    {
                        return;
                    }
                }
                else
                {
                    for (int p = 0; p < parameters; p++)
                    {
                        active[p / 3].Set(p % 3, saved0[p]);
                    }

                    foreach (Slot s in active)
                    {
                        Redesign(s);
                    }

                    Recompute();
                    lambda *= 4;
                }
            }

            if (!improved)
            {
                return;
            }
        }
    }

    private double[] Residuals()
    {
        double offset = Offset();
        int outside = _points.Length - _grid;
        var r = new double[_grid + outside + _slots.Length + 1];
        if (_anchorWeight > 0)
        {
            r[^1] = Math.Sqrt(AnchorWeight) * (AnchorMean(_model) + offset - AnchorMean(_target));
        }

        for (int i = 0; i < _grid; i++)
        {
            r[i] = Math.Sqrt(_weight[i]) * (_model[i] + offset - _target[i]);
        }

        if (outside > 0)
        {
            double lowEdge = Math.Max(0, _model[0]), highEdge = Math.Max(0, _model[_grid - 1]);
            double each = Math.Sqrt(PenaltyWeight / outside);
            for (int j = 0; j < outside; j++)
            {
                int i = _grid + j;
                double edge = j < _lowOutside ? lowEdge : highEdge;
                r[i] = each * Math.Max(0, _model[i] - edge - EdgeToleranceDb);
            }
        }

        for (int s = 0; s < _slots.Length; s++)
        {
            r[_grid + outside + s] = _slots[s].Active ? Math.Sqrt(RidgeWeight) * _slots[s].Gain : 0;
        }

        return r;
    }

    private double Cost(bool includeRegularisation)
    {
        if (includeRegularisation)
        {
            double[] r = Residuals();
            return Dot(r, r);
        }

        double offset = Offset();
        OffsetDb = offset;
        double cost = 0;
        for (int i = 0; i < _grid; i++)
        {
            double e = _model[i] + offset - _target[i];
            cost += _weight[i] * e * e;
        }

        return cost;
    }

    // Weighted mean of values over the anchor octave (707 Hz–1.41 kHz) of the grid.
    private double AnchorMean(double[] values)
    {
        double sum = 0;
        for (int i = 0; i < _grid; i++)
        {
            sum += _anchor[i] * values[i];
        }

        return sum / _anchorWeight;
    }

    // The level offset that minimises the weighted error: the weighted mean of target − model.
    private double Offset()
    {
        double offset = 0;
        for (int i = 0; i < _grid; i++)
        {
            offset += _weight[i] * (_target[i] - _model[i]);
        }

        return offset;
    }

    private void Redesign(Slot slot)
    {
        Array.Clear(slot.Response);
        if (slot.Active)
        {
            EqModel.AddBandResponse(slot.Band.Settings, _sampleRateHz, _points, slot.Response);
        }
    }

    private void Recompute()
    {
        Array.Copy(_fixed, _model, _model.Length);
        foreach (Slot slot in _slots)
        {
            if (slot.Active)
            {
                for (int i = 0; i < _model.Length; i++)
                {
                    _model[i] += slot.Response[i];
                }
            }
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    // Gaussian elimination with partial pivoting; false when singular.
    private static bool Solve(double[,] matrix, double[] rhs, double[] solution)
    {
        int n = rhs.Length;
        var a = (double[,])matrix.Clone();
        var b = (double[])rhs.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < n; row++)
            {
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = row;
                }
            }

            if (Math.Abs(a[pivot, col]) < 1e-300)
            {
                return false;
            }

            if (pivot != col)
            {
                for (int k = 0; k < n; k++)
                {
                    (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                }

                (b[col], b[pivot]) = (b[pivot], b[col]);
            }

            for (int row = col + 1; row < n; row++)
            {
                double factor = a[row, col] / a[col, col];
                for (int k = col; k < n; k++)
                {
                    a[row, k] -= factor * a[col, k];
                }

                b[row] -= factor * b[col];
            }
        }

        for (int row = n - 1; row >= 0; row--)
        {
            double sum = b[row];
            for (int k = row + 1; k < n; k++)
            {
                sum -= a[row, k] * solution[k];
            }

            solution[row] = sum / a[row, row];
        }

        return solution.All(double.IsFinite);
    }

    private sealed class Slot(ToneBand start, int points)
    {
        public ToneBand Start { get; } = start;

        public double[] Response { get; } = new double[points];

        public bool Active { get; set; }

        public double LogF { get; set; } = Math.Log2(start.FrequencyHz);

        public double Gain { get; set; }

        public double LogQ { get; set; } = Math.Log2(start.Q);

        public double MinLogF { get; init; }

        public double MaxLogF { get; init; }

        public double MinLogQ { get; init; }

        public double MaxLogQ { get; init; }

        public ToneBand Band => Start with { FrequencyHz = Math.Pow(2, LogF), GainDb = Gain, Q = Math.Pow(2, LogQ) };

        public double Get(int which) => which switch { 0 => LogF, 1 => Gain, _ => LogQ };

        public void Set(int which, double value)
        {
            switch (which)
            {
                case 0: LogF = value; break;
                case 1: Gain = value; break;
                default: LogQ = value; break;
            }
        }

        public void Clamp()
        {
            LogF = Math.Clamp(LogF, MinLogF, MaxLogF);
            Gain = Math.Clamp(Gain, -MaxGainDb, MaxGainDb);
            LogQ = Math.Clamp(LogQ, MinLogQ, MaxLogQ);
        }
    }
}
