using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EdgeVisor.Emulation.Arm64.Memory;

namespace EdgeVisor.Emulation.Linux.Loading;

/// <summary>
/// Writes the initial process stack as Linux's exec does, from the top down: an 8-byte end marker, the executable
/// name (AT_EXECFN), the environment strings, the argument strings, then the platform string "aarch64" and 16
/// random bytes (AT_RANDOM), and below them, 16-byte aligned, argc, argv[], NULL, envp[], NULL and the auxiliary
/// vector ending with AT_NULL. The returned stack pointer points at argc.
/// </summary>
internal static class InitialStack
{
    private const string Platform = "aarch64";

    public static ulong Build(GuestMemory memory, ulong stackTop, IReadOnlyList<string> arguments, IReadOnlyList<string> environment,
        string executableName, Func<ulong, ulong, ulong, IReadOnlyList<(ulong Type, ulong Value)>> auxiliary)
    {
        ulong p = stackTop - 8;
        ulong executableNameAddress = p = PushString(memory, p, executableName);
        var environmentAddresses = new ulong[environment.Count];
        var argumentAddresses = new ulong[arguments.Count];

        // Strings lie in ascending order argv[0] … envp[n-1]: push them in reverse.
        for (int i = environment.Count - 1; i >= 0; i--)
        {
            environmentAddresses[i] = p = PushString(memory, p, environment[i]);
        }

        for (int i = arguments.Count - 1; i >= 0; i--)
        {
            argumentAddresses[i] = p = PushString(memory, p, arguments[i]);
        }

        p &= ~15UL;
        ulong platformAddress = p = PushString(memory, p, Platform);
        p -= 16;
        ulong randomAddress = p;
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        memory.WritePrivileged(randomAddress, random);

        var auxv = auxiliary(randomAddress, platformAddress, executableNameAddress);
        int words = 1 + arguments.Count + 1 + environment.Count + 1 + 2 * (auxv.Count + 1);
        ulong sp = (p - (ulong)words * 8) & ~15UL;

        var table = new byte[words * 8];
        int at = 0;
        void Put(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(table.AsSpan(at), value);
            at += 8;
        }

        Put((ulong)arguments.Count);
        foreach (ulong address in argumentAddresses)
        {
            Put(address);
        }

        Put(0);
        foreach (ulong address in environmentAddresses)
        {
            Put(address);
        }

        Put(0);
        foreach (var (type, value) in auxv)
        {
            Put(type);
            Put(value);
        }

        Put(AuxiliaryVector.Null);
        Put(0);
        memory.WritePrivileged(sp, table);
        return sp;
    }

    /// <summary>Room the strings and tables need, to check they fit the stack before writing (E2BIG otherwise).</summary>
    public static ulong Size(IReadOnlyList<string> arguments, IReadOnlyList<string> environment, string executableName) =>
        (ulong)(arguments.Concat(environment).Sum(s => Encoding.UTF8.GetByteCount(s) + 1 + 8) + Encoding.UTF8.GetByteCount(executableName) + 512);

    private static ulong PushString(GuestMemory memory, ulong p, string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        p -= (ulong)bytes.Length;
        memory.WritePrivileged(p, bytes);
        return p;
    }
}
