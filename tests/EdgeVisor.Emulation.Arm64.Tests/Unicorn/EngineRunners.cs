using System.Runtime.Intrinsics;
using EdgeVisor.Emulation.Arm64.Tests.TestKit;
using EdgeVisor.Testing.Unicorn;

namespace EdgeVisor.Emulation.Arm64.Tests.Unicorn;

/// <summary>Loads a state and code into EdgeVisor's core (one reused <see cref="A64Machine"/>), runs it and reads the state back.</summary>
internal sealed class EdgeVisorRunner : IDisposable
{
    private readonly A64Machine _machine = new();
    private readonly byte[] _codeArea = new byte[A64Machine.CodeSize];

    public DifferentialOutcome Run(uint[] code, A64State initial, ulong limit)
    {
        var cpu = _machine.Cpu;
        Array.Clear(_codeArea);
        Buffer.BlockCopy(code, 0, _codeArea, 0, code.Length * 4);
        _machine.Memory.WritePrivileged(A64Machine.CodeBase, _codeArea);
        _machine.Blocks.Clear();
        _machine.Memory.WritePrivileged(A64Machine.DataBase, initial.Data);
        _machine.Memory.WritePrivileged(A64Machine.StackTop - A64Machine.StackSize, initial.Stack);
        for (int i = 0; i < 31; i++)
        {
            cpu.X[i] = initial.X[i];
        }

        cpu.X[Decoding.Reg.Zero] = 0;
        cpu.Sp = initial.Sp;
        cpu.Nzcv = initial.Nzcv;
        for (int i = 0; i < 32; i++)
        {
            cpu.V[i] = Vector128.Create((ulong)initial.V[i], (ulong)(initial.V[i] >> 64)).AsByte();
        }

        cpu.Fpcr = initial.Fpcr;
        cpu.Fpsr = initial.Fpsr;
        cpu.TpidrEl0 = initial.TpidrEl0;
        cpu.TpidrroEl0 = 0;
        cpu.ExclusiveAddress = Arm64Cpu.NoExclusive;
        cpu.Pc = A64Machine.CodeBase;

        var stop = cpu.Run(limit);
        ulong end = A64Machine.CodeBase + ((ulong)code.Length * 4);
        var kind = stop.Kind switch
        {
            Arm64StopKind.InstructionLimit => OutcomeKind.Completed,
            Arm64StopKind.Undefined when cpu.Pc >= end && stop.Detail == 0 => OutcomeKind.Completed,
            Arm64StopKind.Undefined or Arm64StopKind.Halt => OutcomeKind.Undefined,
            Arm64StopKind.Syscall => OutcomeKind.Syscall,
            Arm64StopKind.Breakpoint => OutcomeKind.Breakpoint,
            _ => OutcomeKind.Fault,
        };

        var state = new A64State { Sp = cpu.Sp, Nzcv = cpu.Nzcv, Fpcr = cpu.Fpcr, Fpsr = cpu.Fpsr, TpidrEl0 = cpu.TpidrEl0 };
        for (int i = 0; i < 31; i++)
        {
            state.X[i] = cpu.X[i];
        }

        for (int i = 0; i < 32; i++)
        {
            var lanes = cpu.V[i].AsUInt64();
            state.V[i] = new UInt128(lanes[1], lanes[0]);
        }

        _ = _machine.Memory.TryRead(A64Machine.DataBase, state.Data);
        _ = _machine.Memory.TryRead(A64Machine.StackTop - A64Machine.StackSize, state.Stack);
        return new DifferentialOutcome(kind, cpu.Pc, state, $"{stop.Kind} address 0x{stop.Address:X} detail 0x{stop.Detail:X}");
    }

    public void Dispose() => _machine.Dispose();
}

/// <summary>Runs the same state and code on Unicorn, with the same memory layout as <see cref="A64Machine"/>.</summary>
internal sealed class UnicornRunner : IDisposable
{
    private const uint Clrex = 0xD503_3F5F;
    private static readonly ulong ClrexAddress = A64Machine.CodeBase + A64Machine.CodeSize - 4;
    private readonly Arm64Unicorn _unicorn;
    private readonly byte[] _codeArea = new byte[A64Machine.CodeSize];
    private int _lastCodeLength;

    public UnicornRunner(UnicornCpuModel model)
    {
        _unicorn = new Arm64Unicorn(model);
        // The same permissions as A64Machine: code read+execute, data and stack read+write (never executable).
        _unicorn.Map(A64Machine.CodeBase, A64Machine.CodeSize, UnicornProtection.Read | UnicornProtection.Execute);
        _unicorn.Map(A64Machine.DataBase, A64Machine.DataSize, UnicornProtection.Read | UnicornProtection.Write);
        _unicorn.Map(A64Machine.StackTop - A64Machine.StackSize, A64Machine.StackSize, UnicornProtection.Read | UnicornProtection.Write);
    }

    public DifferentialOutcome Run(uint[] code, A64State initial, ulong limit)
    {
        var uc = _unicorn;
        Array.Clear(_codeArea);
        Buffer.BlockCopy(code, 0, _codeArea, 0, code.Length * 4);
        BitConverter.TryWriteBytes(_codeArea.AsSpan((int)(ClrexAddress - A64Machine.CodeBase)), Clrex);
        uc.Write(A64Machine.CodeBase, _codeArea);
        int written = Math.Max(_lastCodeLength, code.Length + 1);
        uc.FlushTranslations(A64Machine.CodeBase, A64Machine.CodeBase + ((ulong)written * 4));
        uc.FlushTranslations(ClrexAddress, ClrexAddress + 4);
        _lastCodeLength = code.Length + 1;
        _ = uc.Run(ClrexAddress, ClrexAddress + 4, 1); // a fresh exclusive monitor for every case

        uc.Write(A64Machine.DataBase, initial.Data);
        uc.Write(A64Machine.StackTop - A64Machine.StackSize, initial.Stack);
        for (int i = 0; i < 31; i++)
        {
            uc.SetX(i, initial.X[i]);
        }

        uc.Sp = initial.Sp;
        uc.Nzcv = initial.Nzcv;
        for (int i = 0; i < 32; i++)
        {
            uc.SetQ(i, initial.V[i]);
        }

        uc.Fpcr = initial.Fpcr;
        uc.Fpsr = initial.Fpsr;
        uc.TpidrEl0 = initial.TpidrEl0;

        ulong end = A64Machine.CodeBase + ((ulong)code.Length * 4);
        var exit = uc.Run(A64Machine.CodeBase, end, limit);
        ulong pc = uc.Pc;
        var kind = exit switch
        {
            UnicornExit.Completed when pc == end => OutcomeKind.Completed,
            UnicornExit.Completed => OutcomeKind.Completed,
            UnicornExit.Exception => uc.ExceptionNumber switch
            {
                Arm64Unicorn.ExceptionUndefined => OutcomeKind.Undefined,
                Arm64Unicorn.ExceptionSupervisorCall => OutcomeKind.Syscall,
                Arm64Unicorn.ExceptionBreakpoint => OutcomeKind.Breakpoint,
                _ => OutcomeKind.Fault,
            },
            _ => OutcomeKind.Fault,
        };

        // QEMU reports a PC alignment fault as an undefined-instruction exception (with a PC-alignment syndrome).
        if (kind == OutcomeKind.Undefined && (pc & 3) != 0)
        {
            kind = OutcomeKind.Fault;
        }

        // Running into the zero words after the code is how EdgeVisor ends; Unicorn stops before them.
        if (kind == OutcomeKind.Undefined && pc >= end && ReadWord(pc) == 0)
        {
            kind = OutcomeKind.Completed;
        }

        var state = new A64State { Sp = uc.Sp, Nzcv = uc.Nzcv, Fpcr = uc.Fpcr, Fpsr = uc.Fpsr, TpidrEl0 = uc.TpidrEl0 };
        for (int i = 0; i < 31; i++)
        {
            state.X[i] = uc.GetX(i);
        }

        for (int i = 0; i < 32; i++)
        {
            state.V[i] = uc.GetQ(i);
        }

        uc.Read(A64Machine.DataBase, state.Data);
        uc.Read(A64Machine.StackTop - A64Machine.StackSize, state.Stack);
        string detail = exit switch
        {
            UnicornExit.Exception => $"exception {uc.ExceptionNumber}",
            UnicornExit.MemoryError => $"uc_err {uc.LastError}",
            _ => "completed",
        };
        return new DifferentialOutcome(kind, pc, state, detail);
    }

    public void Dispose() => _unicorn.Dispose();

    private uint ReadWord(ulong pc)
    {
        if (pc < A64Machine.CodeBase || pc + 4 > A64Machine.CodeBase + A64Machine.CodeSize)
        {
            return uint.MaxValue;
        }

        return BitConverter.ToUInt32(_codeArea, (int)(pc - A64Machine.CodeBase));
    }
}
