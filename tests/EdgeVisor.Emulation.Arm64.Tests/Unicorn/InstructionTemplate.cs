namespace EdgeVisor.Emulation.Arm64.Tests.Unicorn;

/// <summary>
/// A family of encodings to draw random instructions from, written as data: a 32-character bit pattern, most
/// significant bit first (spaces and underscores are ignored), where '0' and '1' are fixed bits and every other
/// character names a field (a run of the same letter is one field). Fields are random unless constrained with
/// <see cref="With"/>; by convention the letters 'd' and 't' (Rd, Rt) default to <see cref="FieldConstraints.Destination"/>
/// so generated code never overwrites the reserved base/index registers X28/X27.
/// <example><c>new InstructionTemplate("ADD (immediate)", "s 0 0 100010 h iiiiiiiiiiii nnnnn ddddd")</c></example>
/// </summary>
internal sealed class InstructionTemplate
{
    private readonly List<TemplateField> _fields = [];
    private readonly List<Func<uint, bool>> _rejections = [];

    public InstructionTemplate(string name, string pattern)
    {
        Name = name;
        string bits = pattern.Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (bits.Length != 32)
        {
            throw new ArgumentException($"template '{name}': pattern has {bits.Length} bits, expected 32: '{pattern}'", nameof(pattern));
        }

        for (int i = 0; i < 32; i++)
        {
            int bit = 31 - i;
            char c = bits[i];
            if (c is '0' or '1')
            {
                FixedMask |= 1u << bit;
                FixedValue |= (c == '1' ? 1u : 0) << bit;
                continue;
            }

            if (i > 0 && bits[i - 1] == c)
            {
                var last = _fields[^1];
                _fields[^1] = last with { Lsb = bit, Width = last.Width + 1 };
            }
            else
            {
                if (_fields.Exists(f => f.Letter == c))
                {
                    throw new ArgumentException($"template '{name}': field '{c}' appears twice in '{pattern}'", nameof(pattern));
                }

                var constraint = c is 'd' or 't' ? FieldConstraints.Destination : FieldConstraints.Any;
                _fields.Add(new TemplateField(c, bit, 1, constraint));
            }
        }
    }

    public string Name { get; }

    /// <summary>Bits fixed by the pattern.</summary>
    public uint FixedMask { get; }

    public uint FixedValue { get; }

    /// <summary>Unicorn CPU model to compare against (LSE, FP16 … need <see cref="UnicornCpuModel.Max"/>).</summary>
    public UnicornCpuModel Model { get; private set; } = UnicornCpuModel.CortexA72;

    /// <summary>Constrains field <paramref name="letter"/>.</summary>
    public InstructionTemplate With(char letter, FieldConstraint constraint)
    {
        int index = _fields.FindIndex(f => f.Letter == letter);
        if (index < 0)
        {
            throw new ArgumentException($"template '{Name}' has no field '{letter}'", nameof(letter));
        }

        _fields[index] = _fields[index] with { Constraint = constraint };
        return this;
    }

    /// <summary>Pins field <paramref name="letter"/> to <paramref name="value"/>.</summary>
    public InstructionTemplate Pin(char letter, uint value) => With(letter, FieldConstraints.Fixed(value));

    /// <summary>Never generates encodings for which <paramref name="predicate"/> is true (e.g. a reserved combination).</summary>
    public InstructionTemplate Reject(Func<uint, bool> predicate)
    {
        _rejections.Add(predicate);
        return this;
    }

    /// <summary>Compares this template against another Unicorn CPU model.</summary>
    public InstructionTemplate On(UnicornCpuModel model)
    {
        Model = model;
        return this;
    }

    /// <summary>Draws an encoding; <paramref name="context"/> tells position-dependent constraints (branches) where it goes.</summary>
    public uint Generate(Random rng, in GenerationContext context)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            uint raw = FixedValue;
            foreach (var field in _fields)
            {
                uint mask = field.Width == 32 ? uint.MaxValue : (1u << field.Width) - 1;
                raw |= (field.Constraint(rng, field.Width, context) & mask) << field.Lsb;
            }

            if (!_rejections.Exists(reject => reject(raw)))
            {
                return raw;
            }
        }

        throw new InvalidOperationException($"template '{Name}': its rejections leave no encodings");
    }

    public override string ToString() => Name;

    private sealed record TemplateField(char Letter, int Lsb, int Width, FieldConstraint Constraint);
}

/// <summary>Where a generated instruction will sit: its index in a sequence of <see cref="Length"/> instructions.</summary>
/// <param name="Index">Position of the instruction (0 for single-instruction runs).</param>
/// <param name="Length">Number of instructions in the run.</param>
internal readonly record struct GenerationContext(int Index, int Length);

/// <summary>Draws a field value of <c>width</c> bits.</summary>
internal delegate uint FieldConstraint(Random rng, int width, in GenerationContext context);

/// <summary>Ready-made field constraints.</summary>
internal static class FieldConstraints
{
    /// <summary>Uniformly random, with one draw in eight an edge value (0, 1, all ones, only the top bit).</summary>
    public static readonly FieldConstraint Any = (Random rng, int width, in GenerationContext _) =>
    {
        uint all = width == 32 ? uint.MaxValue : (1u << width) - 1;
        return rng.Next(8) != 0
            ? (uint)rng.NextInt64(0, (long)all + 1)
            : rng.Next(4) switch { 0 => 0u, 1 => 1u, 2 => all, _ => 1u << (width - 1) };
    };

    /// <summary>A register number other than the reserved X27/X28 (31 allowed: SP or ZR).</summary>
    public static readonly FieldConstraint Destination = (Random rng, int width, in GenerationContext _) =>
    {
        uint r;
        do
        {
            r = (uint)rng.Next(32);
        }
        while (r is A64State.BaseRegister or A64State.IndexRegister);
        return r;
    };

    /// <summary>Source register: anything but 31, including the reserved ones (they are only read).</summary>
    public static readonly FieldConstraint NotRegister31 = (Random rng, int width, in GenerationContext _) => (uint)rng.Next(31);

    /// <summary>The reserved base register X28 (holds an address in the middle of the data area).</summary>
    public static readonly FieldConstraint Base = Fixed(A64State.BaseRegister);

    /// <summary>The reserved index register X27 (holds 0..240, a multiple of 16).</summary>
    public static readonly FieldConstraint Index = Fixed(A64State.IndexRegister);

    /// <summary>
    /// A branch offset in instructions (signed field) that lands after the branch and at most one past the end of the
    /// run, so generated code never loops.
    /// </summary>
    public static readonly FieldConstraint ForwardBranch = (Random rng, int width, in GenerationContext context) =>
    {
        int remaining = context.Length - context.Index; // offsets 1..remaining land inside or just past the run
        return (uint)rng.Next(1, Math.Max(2, remaining + 1));
    };

    public static FieldConstraint Fixed(uint value) => (Random _, int _, in GenerationContext _) => value;

    public static FieldConstraint OneOf(params uint[] values) => (Random rng, int _, in GenerationContext _) => values[rng.Next(values.Length)];

    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static FieldConstraint Range(uint low, uint high) => (Random rng, int _, in GenerationContext _) => (uint)rng.NextInt64(low, (long)high + 1);
}
