using EdgeVisor.Emulation.Interrupts;
using EdgeVisor.Emulation.Memory;

namespace EdgeVisor.Emulation.Peripherals.Stm32.Flash;

/// <summary>
/// The STM32F4 flash interface (RM0090 §3.9, at 0x40023C00): ACR (latency, prefetch and caches read back), the
/// KEYR and OPTKEYR unlock sequences (a wrong key locks until reset, as on silicon), SR (EOP and errors, write 1
/// to clear), CR (PG, SER, MER, SNB, PSIZE, STRT, interrupt enables, LOCK) and OPTCR. With PG set, core writes to
/// the flash array (or its boot alias) program it: bits only go from 1 to 0; the access size must match PSIZE
/// (else PGPERR) and be aligned (else PGAERR); a write without PG is PGSERR and changes nothing. STRT with SER
/// erases sector SNB to 0xFF, with MER the whole array. Operations complete at once (BSY never reads 1).
/// Option bytes are kept in OPTCR only (OPTSTRT "programs" them at once; read protection is not enforced).
/// </summary>
public sealed class Stm32FlashInterface : IPeripheral
{
    private const uint Acr = 0x00;
    private const uint Keyr = 0x04;
    private const uint OptKeyr = 0x08;
    private const uint Sr = 0x0C;
    private const uint Cr = 0x10;
    private const uint OptCr = 0x14;

    private const uint AcrWritable = 0x1F07;
    private const uint SrErrorsAndEop = 0xF3;
    private const uint Eop = 1u << 0;
    private const uint PgaErr = 1u << 5;
    private const uint PgpErr = 1u << 6;
    private const uint PgsErr = 1u << 7;

    private const uint Pg = 1u << 0;
    private const uint Ser = 1u << 1;
    private const uint Mer = 1u << 2;
    private const uint Strt = 1u << 16;
    private const uint EopIe = 1u << 24;
    private const uint ErrIe = 1u << 25;
    private const uint Lock = 1u << 31;
    private const uint CrWritable = 0x830103FF & ~Strt;

    private const uint OptCrReset = 0x0FFFAAED;
    private const uint OptLock = 1u << 0;
    private const uint OptStrt = 1u << 1;
    private const uint OptCrWritable = 0x0FFFFFEC;

    private readonly AddressSpace? _bus;
    private readonly InterruptLine _interrupt;
    private readonly uint _arrayBase;
    private readonly uint _aliasBase;
    private readonly FlashKeySequence _keys = new(0x45670123, 0xCDEF89AB);
    private readonly FlashKeySequence _optionKeys = new(0x08192A3B, 0x4C5D6E7F);
    private readonly byte[] _erased = new byte[4096];
    private uint _acr;
    private uint _sr;
    private uint _cr;
    private uint _optcr;

    /// <param name="bus">The address space holding the array (null: registers only, as in unit tests without memory).</param>
    /// <param name="arrayBase">Where the flash array is mapped (0x08000000).</param>
    /// <param name="aliasBase">Where the boot alias shows it (0x00000000).</param>
    public Stm32FlashInterface(string name, AddressSpace? bus, InterruptLine interrupt, uint arrayBase, uint aliasBase)
    {
        Name = name;
        _bus = bus;
        _interrupt = interrupt;
        _arrayBase = arrayBase;
        _aliasBase = aliasBase;
        Array.Fill(_erased, (byte)0xFF);
        if (bus is not null)
        {
            if (bus.RomWriteHandler is not null)
            {
                throw new FormatException($"peripheral {name}: another model already handles writes to read-only memory");
            }

            bus.RomWriteHandler = ProgramArray;
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>True while FLASH_CR is locked (after reset, after LOCK, after a wrong key).</summary>
    public bool IsLocked => (_cr & Lock) != 0;

    /// <inheritdoc />
    public uint Read(uint offset, int size) => ByteLanes.Read(Register(offset & ~3u), offset, size);

    /// <inheritdoc />
    public void Write(uint offset, uint value, int size)
    {
        uint aligned = offset & ~3u;
        // SR is write-1-to-clear and the key registers take whole keys: unwritten lanes are 0 there.
        value = aligned is Sr or Keyr or OptKeyr ? ByteLanes.Place(value, offset, size) : ByteLanes.Merge(Register(aligned), value, offset, size);
        WriteRegister(aligned, value);
    }

    private uint Register(uint offset) =>
        offset switch
        {
            Acr => _acr,
            Sr => _sr,
            Cr => _cr,
            OptCr => _optcr,
            _ => 0, // KEYR and OPTKEYR are write-only
        };

    private void WriteRegister(uint offset, uint value)
    {
        switch (offset)
        {
            case Acr:
                _acr = value & AcrWritable;
                break;
            case Keyr when IsLocked:
                if (_keys.Accept(value))
                {
                    _cr &= ~Lock;
                }

                break;
            case OptKeyr when (_optcr & OptLock) != 0:
                if (_optionKeys.Accept(value))
                {
                    _optcr &= ~OptLock;
                }

                break;
            case Sr:
                _sr &= ~(value & SrErrorsAndEop);
                break;
            case Cr:
                WriteControl(value);
                break;
            case OptCr:
                WriteOptionControl(value);
                break;
            default:
                break;
        }

        UpdateInterrupt();
    }

    /// <inheritdoc />
    public void Reset()
    {
        _acr = 0;
        _sr = 0;
        _cr = Lock;
        _optcr = OptCrReset;
        _keys.Reset();
        _optionKeys.Reset();
        UpdateInterrupt();
    }

    private void WriteControl(uint value)
    {
        if (IsLocked)
        {
            return; // locked: only the key sequence opens it
        }

        _cr = (_cr & ~CrWritable) | (value & CrWritable);
        if ((value & Strt) != 0)
        {
            Erase();
        }
    }

    private void WriteOptionControl(uint value)
    {
        if ((_optcr & OptLock) != 0)
        {
            return;
        }

        _optcr = (_optcr & ~OptCrWritable) | (value & OptCrWritable) | (value & OptLock);
        if ((value & OptStrt) != 0)
        {
            Complete();
        }
    }

    private void Erase()
    {
        if ((_cr & Mer) != 0)
        {
            Fill(0, FlashSectors.Size);
            Complete();
        }
        else if ((_cr & Ser) != 0)
        {
            if (FlashSectors.Of((int)((_cr >> 3) & 0xF)) is { } sector)
            {
                Fill(sector.Offset, sector.Size);
                Complete();
            }
            else
            {
                _sr |= PgsErr; // SNB names no sector of this device
            }
        }
    }

    private void Fill(uint offset, uint length)
    {
        for (uint done = 0; done < length; done += (uint)_erased.Length)
        {
            _bus?.TryWriteBytes(_arrayBase + offset + done, _erased.AsSpan(0, (int)Math.Min((uint)_erased.Length, length - done)));
        }
    }

    /// <summary>A core write into the array or its alias: programming when PG allows it, an error flag otherwise.</summary>
    private bool ProgramArray(uint address, uint value, int size)
    {
        uint offset;
        if (address - _arrayBase < FlashSectors.Size)
        {
            offset = address - _arrayBase;
        }
        else if (address - _aliasBase < FlashSectors.Size)
        {
            offset = address - _aliasBase;
        }
        else
        {
            return false;
        }

        int parallelism = 1 << (int)((_cr >> 8) & 0x3); // PSIZE: x8, x16, x32, x64 (written as words)
        if (IsLocked || (_cr & Pg) == 0)
        {
            _sr |= PgsErr;
        }
        else if (size != Math.Min(parallelism, 4))
        {
            _sr |= PgpErr;
        }
        else if ((offset & (uint)(size - 1)) != 0)
        {
            _sr |= PgaErr;
        }
        else
        {
            Span<byte> bytes = stackalloc byte[4];
            uint target = _arrayBase + offset;
            _bus!.TryReadBytes(target, bytes[..size]);
            for (int i = 0; i < size; i++)
            {
                bytes[i] &= (byte)(value >> (8 * i)); // programming only clears bits
            }

            _bus.TryWriteBytes(target, bytes[..size]);
            Complete();
        }

        UpdateInterrupt();
        return true;
    }

    /// <summary>End of operation: EOP is set only when its interrupt is enabled (RM0090 FLASH_SR).</summary>
    private void Complete()
    {
        if ((_cr & EopIe) != 0)
        {
            _sr |= Eop;
        }
    }

    private void UpdateInterrupt() =>
        _interrupt.Set(((_sr & Eop) != 0 && (_cr & EopIe) != 0) || ((_sr & 0x2) != 0 && (_cr & ErrIe) != 0));
}
