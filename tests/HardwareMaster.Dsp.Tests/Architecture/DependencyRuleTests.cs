using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using HardwareMaster.Dsp.Chain;

namespace HardwareMaster.Dsp.Tests.Architecture;

/// <summary>
/// dsp/ is pure computation: it references nothing of ours and no I/O, thread, task, timer or clock API
/// (STYLE.md C1). The build enforces the same with BannedApiAnalyzers (dsp/BannedSymbols.txt, RS0030); these tests
/// read the built assembly's metadata, so a use that slips past the analyzer (another project's source linked in, a
/// suppression) still fails. The synthetic-assembly tests show each rule can fail.
/// </summary>
public class DependencyRuleTests
{
    [Fact]
    public void DspAssembly_AssemblyReferences_IncludeNothingOfOurs()
    {
        using var pe = new PEReader(File.OpenRead(typeof(MasteringChain).Assembly.Location));
        MetadataReader reader = pe.GetMetadataReader();

        Assert.Empty(DependencyRule.OurReferences(reader));
        // The reader really sees the references (an empty table would pass the line above vacuously).
        Assert.Contains(reader.AssemblyReferences, h => reader.GetString(reader.GetAssemblyReference(h).Name) == "System.Runtime");
    }

    [Fact]
    public void DspAssembly_ReferencedTypesAndMembers_AvoidIoThreadsAndClocks()
    {
        using var pe = new PEReader(File.OpenRead(typeof(MasteringChain).Assembly.Location));
        MetadataReader reader = pe.GetMetadataReader();

        Assert.Empty(DependencyRule.Violations(reader));
    }

    [Fact]
    public void Violations_AssemblyUsingFileThreadTaskStopwatchAndUtcNow_ReportsEachOne()
    {
        MetadataReader reader = Synthetic(out MetadataReaderProvider provider, bad: true);
        using (provider)
        {
            List<string> violations = DependencyRule.Violations(reader);

            Assert.Equal(
                [
                    "System.Console",
                    "System.DateTime.get_UtcNow",
                    "System.Diagnostics.Stopwatch",
                    "System.Environment.get_TickCount64",
                    "System.IO.File",
                    "System.Net.Sockets.Socket",
                    "System.Threading.Tasks.Task`1",
                    "System.Threading.Thread",
                    "System.Threading.Thread+Inner",
                    "System.TimeProvider",
                ],
                violations);
        }
    }

    [Fact]
    public void Violations_AssemblyUsingOnlyMathVolatileAndInterlocked_ReportsNothing()
    {
        MetadataReader reader = Synthetic(out MetadataReaderProvider provider, bad: false);
        using (provider)
        {
            Assert.Empty(DependencyRule.Violations(reader));
            Assert.Empty(DependencyRule.OurReferences(reader));
        }
    }

    [Fact]
    public void OurReferences_AssemblyReferencingHal_ReportsHal()
    {
        MetadataReader reader = Synthetic(out MetadataReaderProvider provider, bad: true);
        using (provider)
        {
            Assert.Equal(["HardwareMaster.Hal"], DependencyRule.OurReferences(reader));
        }
    }

    // A metadata image (no PE, no IL) with the references a compiler would emit for the uses named in the tests.
    private static MetadataReader Synthetic(out MetadataReaderProvider provider, bool bad)
    {
        var metadata = new MetadataBuilder();
        metadata.AddModule(0, metadata.GetOrAddString("Synthetic.dll"), metadata.GetOrAddGuid(Guid.NewGuid()), default, default);
        metadata.AddAssembly(metadata.GetOrAddString("Synthetic"), new Version(1, 0, 0, 0), default, default, default, AssemblyHashAlgorithm.None);
        AssemblyReferenceHandle runtime = metadata.AddAssemblyReference(
            metadata.GetOrAddString("System.Runtime"), new Version(10, 0, 0, 0), default, default, default, default);

        TypeReferenceHandle Type(string ns, string name) =>
            metadata.AddTypeReference(runtime, metadata.GetOrAddString(ns), metadata.GetOrAddString(name));

        void Getter(TypeReferenceHandle parent, string name, PrimitiveTypeCode returns)
        {
            var signature = new BlobBuilder();
            new BlobEncoder(signature).MethodSignature().Parameters(0, r => r.Type().PrimitiveType(returns), _ => { });
            metadata.AddMemberReference(parent, metadata.GetOrAddString(name), metadata.GetOrAddBlob(signature));
        }

        TypeReferenceHandle math = Type("System", "Math");
        Getter(math, "get_PI", PrimitiveTypeCode.Double);
        Type("System.Threading", "Volatile");
        Type("System.Threading", "Interlocked");
        Type("System.Numerics.Tensors", "TensorPrimitives");
        if (bad)
        {
            metadata.AddAssemblyReference(metadata.GetOrAddString("HardwareMaster.Hal"), new Version(0, 1, 0, 0), default, default, default, default);
            Type("System", "Console");
            Type("System.IO", "File");
            Type("System.Net.Sockets", "Socket");
            TypeReferenceHandle thread = Type("System.Threading", "Thread");
            metadata.AddTypeReference(thread, default, metadata.GetOrAddString("Inner"));
            Type("System.Threading.Tasks", "Task`1");
            Type("System.Diagnostics", "Stopwatch");
            Type("System", "TimeProvider");
            Getter(Type("System", "DateTime"), "get_UtcNow", PrimitiveTypeCode.Int64);
            Getter(Type("System", "Environment"), "get_TickCount64", PrimitiveTypeCode.Int64);
        }

        var image = new BlobBuilder();
        new MetadataRootBuilder(metadata).Serialize(image, 0, 0);
        provider = MetadataReaderProvider.FromMetadataImage(image.ToImmutableArray());
        return provider.GetMetadataReader();
    }
}
