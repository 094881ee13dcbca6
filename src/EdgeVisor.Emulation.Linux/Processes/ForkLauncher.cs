using System.Reflection;
using System.Runtime.InteropServices;

namespace EdgeVisor.Emulation.Linux.Processes;

/// <summary>
/// Starts the host process that continues a forked guest: the same edgevisor executable with
/// <c>exec --fork-child FD</c>, through posix_spawn so that the host descriptors behind the guest's descriptors are
/// inherited at their own numbers (.NET opens everything close-on-exec; a dup2 onto the same number clears that in
/// the child only), every signal back at its default action and none blocked.
/// </summary>
public static unsafe partial class ForkLauncher
{
    /// <summary>
    /// The command line that starts edgevisor before "exec --fork-child FD": the apphost, or "dotnet edgevisor.dll".
    /// Tests set it to the built CLI; by default it is derived from this process.
    /// </summary>
    public static IReadOnlyList<string>? Command { get; set; }

    private static IReadOnlyList<string> DefaultCommand()
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("fork: the path of the edgevisor executable is unknown");
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            string entry = Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("fork: the edgevisor assembly is unknown");
            return [host, entry];
        }

        return [host];
    }

    /// <summary>Spawns the child; <paramref name="inherited"/> are host descriptors it must keep at the same numbers. Returns its pid or -errno.</summary>
    public static int Spawn(int stateFd, IEnumerable<int> inherited)
    {
        var command = Command ?? DefaultCommand();
        string[] argv = [.. command, "exec", "--fork-child", stateFd.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        string[] envp = [.. Environment.GetEnvironmentVariables().Keys.Cast<string>().Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")];

        byte* actions = stackalloc byte[512];
        byte* attributes = stackalloc byte[1024];
        ulong* sigsets = stackalloc ulong[32]; // two host sigset_t of 1024 bits
        new Span<byte>(sigsets, 256).Clear();
        _ = SpawnFileActionsInit(actions);
        _ = SpawnAttrInit(attributes);
        try
        {
            foreach (int fd in inherited.Append(stateFd).Distinct())
            {
                _ = SpawnFileActionsAddDup2(actions, fd, fd);
            }

            ulong* all = sigsets + 16;
            all[0] = ulong.MaxValue;
            _ = SpawnAttrSetSigMask(attributes, sigsets);
            _ = SpawnAttrSetSigDefault(attributes, all);
            _ = SpawnAttrSetFlags(attributes, SpawnSetSigDef | SpawnSetSigMask);
            var nativeArgv = ToNative(argv);
            var nativeEnvp = ToNative(envp);
            try
            {
                int pid;
                int error = PosixSpawn(&pid, argv[0], actions, attributes, nativeArgv, nativeEnvp);
                return error == 0 ? pid : -error;
            }
            finally
            {
                Free(nativeArgv, argv.Length);
                Free(nativeEnvp, envp.Length);
            }
        }
        finally
        {
            _ = SpawnFileActionsDestroy(actions);
            _ = SpawnAttrDestroy(attributes);
        }
    }

    private static nint* ToNative(string[] strings)
    {
        var array = (nint*)NativeMemory.Alloc((nuint)(strings.Length + 1), (nuint)sizeof(nint));
        for (int i = 0; i < strings.Length; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
        }

        array[strings.Length] = 0;
        return array;
    }

    private static void Free(nint* array, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Marshal.FreeCoTaskMem(array[i]);
        }

        NativeMemory.Free(array);
    }

    private const short SpawnSetSigDef = 0x04;
    private const short SpawnSetSigMask = 0x08;

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PosixSpawn(int* pid, string path, byte* fileActions, byte* attributes, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int SpawnFileActionsInit(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int SpawnFileActionsAddDup2(byte* actions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int SpawnFileActionsDestroy(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int SpawnAttrInit(byte* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int SpawnAttrDestroy(byte* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int SpawnAttrSetSigMask(byte* attributes, ulong* mask);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int SpawnAttrSetSigDefault(byte* attributes, ulong* mask);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int SpawnAttrSetFlags(byte* attributes, short flags);
}
