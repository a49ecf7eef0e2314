using HardwareMaster.App.Host;
using HardwareMaster.Hal.Tests.AudioFiles;
using Microsoft.Extensions.Time.Testing;

namespace HardwareMaster.App.Tests.Host;

/// <summary>CPU temperature from thermal sysfs: the CPU's zone, NaN without one, read at most once a second, no allocation.</summary>
public sealed class CpuThermometerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hm-thermal").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ReadCelsius_NoThermalZones_IsNaN()
    {
        using var thermometer = new CpuThermometer(Path.Combine(_root, "missing"));
        Assert.Null(thermometer.ZonePath);
        Assert.True(double.IsNaN(thermometer.ReadCelsius()));
    }

    [Fact]
    public void ReadCelsius_PrefersTheCpuZoneAndRereadsAtMostOnceASecond()
    {
        Zone("thermal_zone0", "acpitz", "27800\n");
        string cpu = Zone("thermal_zone1", "cpu-thermal", "48312\n");
        var time = new FakeTimeProvider();
        using var thermometer = new CpuThermometer(_root, time);

        Assert.Equal(48.312, thermometer.ReadCelsius(), 6);
        File.WriteAllText(cpu, "51000\n");
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(48.312, thermometer.ReadCelsius(), 6); // not re-read within the second
        Assert.Equal(1, thermometer.Reads);
        time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Equal(51.0, thermometer.ReadCelsius(), 6);
        Assert.Equal(2, thermometer.Reads);
    }

    [Fact]
    public void ReadCelsius_Rereading_AllocatesNothing()
    {
        Zone("thermal_zone0", "x86_pkg_temp", "40000\n");
        var time = new FakeTimeProvider();
        using var thermometer = new CpuThermometer(_root, time);
        thermometer.ReadCelsius();
        long smallest = AllocationProbe.SmallestBytesAllocated(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                thermometer.ReadCelsius();
            }
        });

        Assert.Equal(0, smallest);
        Assert.Equal(51, thermometer.Reads);
    }

    [Theory]
    [InlineData("48312\n", 48.312)]
    [InlineData("-5000", -5.0)]
    [InlineData("0", 0.0)]
    public void Parse_Millidegrees_GivesCelsius(string text, double expected) =>
        Assert.Equal(expected, CpuThermometer.Parse(System.Text.Encoding.ASCII.GetBytes(text)), 6);

    [Fact]
    public void Parse_NotANumber_IsNaN() => Assert.True(double.IsNaN(CpuThermometer.Parse("n/a"u8)));

    private string Zone(string name, string type, string temp)
    {
        string dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "type"), type + "\n");
        string path = Path.Combine(dir, "temp");
        File.WriteAllText(path, temp);
        return path;
    }
}
