using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Alsa;
using HardwareMaster.Hal.Audio.Generators;
using HardwareMaster.Hal.Audio.PortAudio;
using HardwareMaster.Hal.Audio.SimulatedDevice;

namespace HardwareMaster.Hal.Tests.Audio;

public class AudioDeviceFactoryTests
{
    private static readonly AudioDeviceOptions Options = new(RealtimePriority: 0, LockMemory: false);

    [Theory]
    [InlineData("alsa:hw:CARD=Codec,DEV=0", "hw:CARD=Codec,DEV=0")]
    [InlineData("alsa:default", "default")]
    [InlineData("plughw:1,0", "plughw:1,0")]
    [InlineData("hw:CARD=Codec,DEV=0", "hw:CARD=Codec,DEV=0")]
    public void Create_AlsaSpecs_GiveAlsaDeviceWithTheAlsaName(string spec, string alsaName)
    {
        using IAudioDevice device = AudioDeviceFactory.Create(spec, Options);
        var alsa = Assert.IsType<AlsaAudioDevice>(device);
        Assert.Equal(alsaName, alsa.Options.Name);
        Assert.Equal("alsa:" + alsaName, alsa.Name);
        Assert.False(alsa.IsRunning);
    }

    [Fact]
    public void Create_OtherSchemes_GiveTheirDevices()
    {
        using IAudioDevice pa = AudioDeviceFactory.Create("pa:USB Audio", Options);
        Assert.IsType<PortAudioAudioDevice>(pa);
        Assert.Equal("pa:USB Audio", pa.Name);
        using IAudioDevice gen = AudioDeviceFactory.Create("gen:tone:440:-6", Options);
        Assert.IsType<GeneratorAudioDevice>(gen);
        Assert.Equal("gen:tone:440:-6", gen.Name);
        using IAudioDevice sim = AudioDeviceFactory.Create("sim:factory-test", Options);
        Assert.IsType<SimulatedAudioDevice>(sim);
    }

    [Fact]
    public void Register_NewScheme_ReceivesTheRestOfTheSpec()
    {
        string? seen = null;
        AudioDeviceFactory.Register("testfile", (spec, options) =>
        {
            seen = spec;
            return new GeneratorAudioDevice(new SilenceSignal(), options);
        });
        using IAudioDevice device = AudioDeviceFactory.Create("testfile:/music/song:1.wav", Options with { SampleRateHz = 44100 });
        Assert.Equal("/music/song:1.wav", seen);
        Assert.Equal(44100, device.SampleRateHz);
        Assert.Contains("testfile", AudioDeviceFactory.RegisteredSchemes);
    }

    [Theory]
    [InlineData("gen:bogus", "Unknown generator 'bogus'")]
    [InlineData("gen:tone:abc", "not a number")]
    [InlineData("gen:tone:30000", "out of range: The frequency must be above 0 Hz and below half the sample rate.")]
    [InlineData("sim:bogus", "no simulated device named 'bogus'")]
    [InlineData("pa:", "the name after 'pa:' is empty")]
    [InlineData("file:", "the name after 'file:' is empty")]
    public void TryValidate_SpecThatCannotWork_IsOneLineNamingIt(string spec, string expected)
    {
        Assert.False(AudioDeviceFactory.TryValidate(spec, Options, out string? problem));
        Assert.StartsWith($"device '{spec}': ", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
        Assert.DoesNotContain("(Parameter", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void TryValidate_EmptySpec_IsRejected(string? spec)
    {
        Assert.False(AudioDeviceFactory.TryValidate(spec, Options, out string? problem));
        Assert.Contains("empty", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryValidate_SpecsThatCanWork_AreAccepted()
    {
        string name = "validate-" + Guid.NewGuid().ToString("N")[..6];
        Assert.False(AudioDeviceFactory.TryValidate("sim:" + name, Options, out _)); // not made yet
        SimulatedAudioHardware.Get(name);
        AudioDeviceFactory.Register("validatetest", (spec, options) => new GeneratorAudioDevice(new SilenceSignal(), options));
        foreach (string spec in new[] { "gen:demo", "gen:tone:440:-6", "gen:pink:-20:7", "gen:silence", "sim:" + name, "pa:USB Audio", "pa:default", "file:/music/song.wav", "validatetest:anything" })
        {
            Assert.True(AudioDeviceFactory.TryValidate(spec, Options, out string? problem), $"{spec}: {problem}");
            Assert.Null(problem);
        }
    }

    [Fact]
    public void AlsaOptions_SeparateInputAndOutput_NameBothInTheDeviceName()
    {
        using var device = new AlsaAudioDevice(Options with { InputName = "hw:1,0", OutputName = "hw:2,0" });
        Assert.Equal("alsa:hw:1,0→hw:2,0", device.Name);
        using var output = new AlsaAudioDevice(Options with { Name = "hw:2,0", Direction = AudioDirection.OutputOnly });
        Assert.Equal("alsa:hw:2,0", output.Name);
    }
}
