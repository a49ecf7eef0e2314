using HardwareMaster.Hal.Audio;
using HardwareMaster.Hal.Audio.Alsa;
using HardwareMaster.Hal.Audio.PortAudio;

namespace HardwareMaster.Hal.Tests.Audio;

/// <summary>
/// Which open failures can heal (<see cref="AudioDeviceException.CanRecover"/>): a live rig waits for a USB interface
/// that is not plugged in yet, but a typo'd device name fails at once. Needs no sound card: the missing card is the point.
/// </summary>
[Collection(AlsaCollection.Name)]
public sealed class DeviceOpenFailureTests(AlsaTestEnvironment environment)
{
    private static readonly AudioDeviceOptions Options = new(RealtimePriority: 0, LockMemory: false, Direction: AudioDirection.OutputOnly);

    [Theory]
    [InlineData("hm_no_such_pcm")]
    [InlineData("xyz:foo")]
    public void Start_AlsaPcmNotInTheConfiguration_CannotRecoverAndSaysUnknownPcm(string name)
    {
        using var device = new AlsaAudioDevice(Options with { Name = name });
        var ex = Assert.Throws<AudioDeviceException>(() => device.Start(new ToneCallback()));
        Assert.False(ex.CanRecover, ex.Message);
        Assert.Contains($"cannot open ALSA playback device '{name}': unknown PCM '{AlsaNative.PcmBaseName(name)}'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(-2, ex.NativeErrorCode); // -ENOENT from snd_pcm_open
    }

    [Theory]
    [InlineData("hw:CARD=HmNotPluggedIn,DEV=0")]
    [InlineData("plughw:CARD=HmNotPluggedIn")]
    [InlineData("front:CARD=HmNotPluggedIn")]
    public void Start_CardThatIsNotThere_CanRecover(string name)
    {
        using var device = new AlsaAudioDevice(Options with { Name = name });
        var ex = Assert.Throws<AudioDeviceException>(() => device.Start(new ToneCallback()));
        Assert.True(ex.CanRecover, ex.Message);
        Assert.DoesNotContain("unknown PCM", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_HwWithArgumentsAlsaRejects_CannotRecover()
    {
        using var device = new AlsaAudioDevice(Options with { Name = "hw:0,abc" });
        var ex = Assert.Throws<AudioDeviceException>(() => device.Start(new ToneCallback()));
        Assert.False(ex.CanRecover, ex.Message);
        Assert.Equal(-22, ex.NativeErrorCode); // -EINVAL: the device number is not a number
    }

    [Fact]
    public void Start_AlsaPcmOfTheTestConfiguration_Opens()
    {
        // The other side of the rule: a PCM the configuration defines is found (and here it works).
        using var device = new AlsaAudioDevice(Options with { Name = $"hm_fileout:FILE={environment.NewPath("out.raw")}", MaxFrames = 64 });
        device.Start(new ToneCallback());
        device.Stop();
    }

    [Theory]
    [InlineData("hm_no_such_pcm", false)]
    [InlineData("xyz:foo", false)]
    [InlineData("", false)]
    [InlineData("hw:CARD=HmNotPluggedIn,DEV=0", true)]
    [InlineData("default", true)]
    [InlineData("hm_fileout:FILE=/tmp/x.raw", true)]
    public void IsPcmDefined_FollowsTheAlsaConfiguration(string name, bool expected) =>
        Assert.Equal(expected, AlsaNative.IsPcmDefined(name));

    [Theory]
    [InlineData("alsa:hm_no_such_pcm", "unknown ALSA PCM 'hm_no_such_pcm'")]
    [InlineData("alsa:hm_no_such_pcm:ARG=1", "unknown ALSA PCM 'hm_no_such_pcm' in 'hm_no_such_pcm:ARG=1'")]
    [InlineData("hm_no_such_pcm:ARG=1", "'hm_no_such_pcm' is neither a device scheme")]
    [InlineData("xyz:foo", "'xyz' is neither a device scheme (alsa, pa, file, gen, sim) nor an ALSA PCM")]
    public void TryValidate_UnknownAlsaPcm_IsRejectedInOneLine(string spec, string expected)
    {
        Assert.False(AudioDeviceFactory.TryValidate(spec, Options, out string? problem));
        Assert.StartsWith($"device '{spec}': ", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Theory]
    [InlineData("alsa:hw:CARD=HmNotPluggedIn,DEV=0")]
    [InlineData("hw:1,0")]
    [InlineData("alsa:default")]
    [InlineData("plughw:CARD=HmNotPluggedIn")]
    public void TryValidate_DefinedAlsaPcm_IsAcceptedEvenWithoutItsCard(string spec)
    {
        Assert.True(AudioDeviceFactory.TryValidate(spec, Options, out string? problem), problem);
        Assert.Null(problem);
    }

    [Fact]
    public void TryValidate_UnknownAlsaOutputOverride_IsRejected()
    {
        Assert.False(AudioDeviceFactory.TryValidate("alsa:default", Options with { OutputName = "hm_no_such_out" }, out string? problem));
        Assert.Contains("unknown ALSA PCM 'hm_no_such_out'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_PortAudioNameThatMatchesNothing_CannotRecover()
    {
        using var device = new PortAudioAudioDevice(Options with { Name = "hm no such interface" });
        var ex = Assert.Throws<AudioDeviceException>(() => device.Start(new ToneCallback()));
        Assert.False(ex.CanRecover, ex.Message);
        Assert.Contains("no PortAudio output device named 'hm no such interface'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-9997, false)] // paInvalidSampleRate
    [InlineData(-9998, false)] // paInvalidChannelCount
    [InlineData(-9994, false)] // paSampleFormatNotSupported
    [InlineData(-9985, true)] // paDeviceUnavailable (busy, unplugged)
    [InlineData(-9999, true)] // paUnanticipatedHostError (ALSA said -EBUSY, -ENODEV…)
    [InlineData(-9987, true)] // paTimedOut
    public void PortAudioCanRecover_ImpossibleRequestsDoNotHealUnavailableDevicesDo(int error, bool expected) =>
        Assert.Equal(expected, PortAudioNative.CanRecover(error));
}
