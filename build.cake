// The one build entry for EdgeVisor: dotnet tool restore && dotnet cake --target=<Build|Test|Firmware|Bench>
var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var solution = "./EdgeVisor.sln";

// What the tests need from Debian, keyed by the command or file that proves it is there.
var testPrerequisites = new[]
{
    (Package: "gcc-arm-none-eabi", Probe: "/usr/bin/arm-none-eabi-gcc"),
    (Package: "libnewlib-arm-none-eabi", Probe: "/usr/lib/arm-none-eabi/newlib/rdimon.specs"),
    (Package: "qemu-system-arm", Probe: "/usr/bin/qemu-system-arm"),
    (Package: "libunicorn-dev", Probe: "/usr/include/unicorn/unicorn.h"),
    (Package: "gdb-multiarch", Probe: "/usr/bin/gdb-multiarch"),
    (Package: "make", Probe: "/usr/bin/make"),
    (Package: "gcc-aarch64-linux-gnu", Probe: "/usr/bin/aarch64-linux-gnu-gcc"),
    (Package: "libc6-dev-arm64-cross", Probe: "/usr/aarch64-linux-gnu/lib/libc.a"),
    (Package: "qemu-user", Probe: "/usr/bin/qemu-aarch64"),
    // Static, so the container tests can make an image of it alone (the dynamic busybox would need its libc).
    (Package: "busybox-static", Probe: "/bin/busybox"),
    // The agent's integration tests and benchmarks start their own mosquitto on free loopback ports, and make a test CA with openssl.
    (Package: "mosquitto", Probe: "/usr/sbin/mosquitto"),
    (Package: "mosquitto-clients", Probe: "/usr/bin/mosquitto_sub"),
    (Package: "openssl", Probe: "/usr/bin/openssl"),
    // The provisioning tests check the unit file with systemd-analyze and the install script with systemd-sysusers.
    (Package: "systemd", Probe: "/usr/bin/systemd-analyze"),
    // Container workloads: the OCI runtime, a registry on loopback (htpasswd for its basic-auth realm), skopeo as an
    // independent producer of oci-archive and docker-archive tarballs, iproute2 and nftables for nat/bridged networks.
    (Package: "runc", Probe: "/usr/sbin/runc"),
    // The second runtime the agent can be configured with (the driver's crun tests).
    (Package: "crun", Probe: "/usr/bin/crun"),
    (Package: "docker-registry", Probe: "/usr/bin/docker-registry"),
    (Package: "apache2-utils", Probe: "/usr/bin/htpasswd"),
    (Package: "skopeo", Probe: "/usr/bin/skopeo"),
    (Package: "iproute2", Probe: "/usr/bin/ip"),
    (Package: "nftables", Probe: "/usr/sbin/nft"),
};

Task("Build")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("Prerequisites")
    .Description("Installs the cross toolchain and reference emulators the tests compare against (root on Debian), or says what to install.")
    .Does(() =>
{
    var missing = testPrerequisites.Where(p => !System.IO.File.Exists(p.Probe)).Select(p => p.Package).ToArray();
    // The AArch64 tests fetch Debian's arm64 builds of busybox-static and hello with apt-get download.
    bool needArm64 = !ForeignArchitectures().Contains("arm64");
    if (missing.Length == 0 && !needArm64)
    {
        return;
    }

    var list = string.Join(" ", missing);
    bool isRoot = Environment.UserName == "root";
    bool isDebian = System.IO.File.Exists("/etc/debian_version");
    if (!isRoot || !isDebian)
    {
        throw new Exception($"The tests need these Debian packages: {list}{(needArm64 ? " and the arm64 architecture in dpkg" : "")}. Install them with: sudo dpkg --add-architecture arm64 && sudo apt-get update && sudo apt-get install -y {list}");
    }

    if (needArm64)
    {
        Run("dpkg", "--add-architecture arm64");
    }

    Information($"Installing {list}");
    Run("apt-get", "update -qq");
    if (missing.Length > 0)
    {
        Run("apt-get", $"install -y -qq --no-install-recommends {list}", new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
    }
});

Task("Test")
    .IsDependentOn("Prerequisites")
    .IsDependentOn("Build")
    .Does(() =>
{
    DotNetTest(solution, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Loggers = { "console;verbosity=normal", "trx" },
        ResultsDirectory = "./artifacts/test-results",
    });
    FailOnSkippedTests("./artifacts/test-results");
});

Task("Firmware")
    .Description("Rebuilds the sample firmware images in firmware-images/ with arm-none-eabi-gcc.")
    .IsDependentOn("Prerequisites")
    .Does(() =>
{
    Run("make", "-C firmware-images prebuilt");
});

Task("Bench")
    .Description("Whole-program runs side by side with qemu-system-arm and qemu-aarch64 (emulated MIPS and time ratio).")
    .IsDependentOn("Prerequisites")
    .Does(() =>
{
    DotNetRun("./bench/EdgeVisor.Bench/EdgeVisor.Bench.csproj", new ProcessArgumentBuilder().Append("runner"), new DotNetRunSettings { Configuration = "Release" });
    DotNetRun("./bench/EdgeVisor.Bench/EdgeVisor.Bench.csproj", new ProcessArgumentBuilder().Append("linux"), new DotNetRunSettings { Configuration = "Release" });
});

Task("MicroBench")
    .Description("BenchmarkDotNet micro benchmarks of the interpreter.")
    .Does(() =>
{
    DotNetRun("./bench/EdgeVisor.Bench/EdgeVisor.Bench.csproj", new ProcessArgumentBuilder().Append("micro"), new DotNetRunSettings { Configuration = "Release" });
});

RunTarget(target);

void Run(string tool, string arguments, IDictionary<string, string> environment = null)
{
    var settings = new ProcessSettings { Arguments = arguments, EnvironmentVariables = environment };
    int code = StartProcess(tool, settings);
    if (code != 0)
    {
        throw new Exception($"{tool} {arguments} failed with exit code {code}");
    }
}

// A skipped test hides a missing component; CI counts it as a failure.
void FailOnSkippedTests(string resultsDirectory)
{
    foreach (var trx in GetFiles($"{resultsDirectory}/*.trx"))
    {
        var text = System.IO.File.ReadAllText(trx.FullPath);
        var match = System.Text.RegularExpressions.Regex.Match(text, "notExecuted=\"(\\d+)\"");
        if (match.Success && match.Groups[1].Value != "0")
        {
            throw new Exception($"{trx.GetFilename()}: {match.Groups[1].Value} test(s) were skipped; skipped tests count as failures");
        }
    }
}

// dpkg's extra architectures (empty when dpkg is not there).
string[] ForeignArchitectures()
{
    try
    {
        var info = new System.Diagnostics.ProcessStartInfo("dpkg", "--print-foreign-architectures") { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(info);
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return Array.Empty<string>();
    }
}
