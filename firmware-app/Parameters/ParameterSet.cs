namespace HardwareMaster.App.Parameters;

/// <summary>
/// A complete set of values for every parameter of a <see cref="ParameterRegistry"/>, starting at the defaults.
/// </summary>
/// <remarks>Not thread-safe: owned by the control thread; the engine receives changes through the chain's setters.</remarks>
public sealed class ParameterSet
{
    private readonly double[] _values;

    /// <summary>A set holding every default of <paramref name="registry"/>.</summary>
    public ParameterSet(ParameterRegistry registry)
    {
        Registry = registry;
        _values = new double[registry.Count];
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = registry.All[i].Default;
        }
    }

    /// <summary>The registry the values belong to.</summary>
    public ParameterRegistry Registry { get; }

    /// <summary>Value of parameter <paramref name="id"/>.</summary>
    public double this[string id]
    {
        get => _values[Registry.IndexOf(id)];
        set => Set(id, value);
    }

    /// <summary>Value by registry index.</summary>
    public double Get(int index) => _values[index];

    /// <summary>A switch's value as a bool.</summary>
    public bool IsOn(string id) => this[id] >= 0.5;

    /// <summary>Sets <paramref name="id"/> to <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the parameter's range; the message names id, value and range.</exception>
    /// <exception cref="KeyNotFoundException">Unknown id.</exception>
    public void Set(string id, double value) => Set(Registry.IndexOf(id), value);

    /// <summary>Sets the parameter at registry index <paramref name="index"/> to <paramref name="value"/> (no id lookup).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not in the registry, or the value is outside the parameter's range; the message names id, value and range.</exception>
    public void Set(int index, double value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _values.Length);
        ParameterDefinition definition = Registry.All[index];
        if (!definition.IsValid(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{definition.Id} = {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is outside {definition.RangeText}");
        }

        _values[index] = value;
    }

    /// <summary>Copies every value of <paramref name="source"/> (same registry) into this set, without allocating.</summary>
    /// <exception cref="ArgumentException">The sets belong to different registries.</exception>
    public void CopyFrom(ParameterSet source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!ReferenceEquals(source.Registry, Registry))
        {
            throw new ArgumentException("The parameter sets belong to different registries.", nameof(source));
        }

        source._values.CopyTo(_values, 0);
    }

    /// <summary>A copy that can be changed independently.</summary>
    public ParameterSet Clone()
    {
        var copy = new ParameterSet(Registry);
        _values.CopyTo(copy._values, 0);
        return copy;
    }
}
