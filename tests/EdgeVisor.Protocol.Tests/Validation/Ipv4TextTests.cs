namespace EdgeVisor.Protocol.Tests.Validation;

/// <summary>The one IPv4 reader of the agent: documents, configuration and the container networks all go through it.</summary>
public class Ipv4TextTests
{
    [Theory]
    [InlineData("10.89.0.1", 0x0A590001u)]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    [InlineData("192.168.100.7", 0xC0A86407u)]
    public void A_dotted_quad_reads_in_host_order_and_formats_back(string text, uint expected)
    {
        Assert.True(Ipv4Text.TryParse(text, out uint address));
        Assert.Equal(expected, address);
        Assert.Equal(text, Ipv4Text.Format(address));
    }

    [Theory]
    [InlineData("010.1.1.1")] // octal to some parsers
    [InlineData("1.2.3")]
    [InlineData("10")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.256")]
    [InlineData("1.2.3.")]
    [InlineData("1..3.4")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("+1.2.3.4")]
    [InlineData("0x1.2.3.4")]
    [InlineData("1.2.3.٤")] // a digit, but not an ASCII one
    [InlineData("::1")]
    [InlineData("::ffff:1.2.3.4")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_but_a_plain_dotted_quad_is_refused(string? text) =>
        Assert.False(Ipv4Text.TryParse(text, out _));

    [Theory]
    [InlineData("192.168.1.50/24", 0xC0A80132u, 24)]
    [InlineData("10.0.0.0/8", 0x0A000000u, 8)]
    [InlineData("0.0.0.0/0", 0u, 0)]
    [InlineData("1.2.3.4/32", 0x01020304u, 32)]
    public void A_prefix_reads_with_its_address(string text, uint expected, int expectedPrefix)
    {
        Assert.True(Ipv4Text.TryParseCidr(text, out uint address, out int prefix));
        Assert.Equal((expected, expectedPrefix), (address, prefix));
    }

    [Theory]
    [InlineData("192.168.1.50")]
    [InlineData("192.168.1.50/")]
    [InlineData("192.168.1.50/33")]
    [InlineData("192.168.1.50/024")]
    [InlineData("192.168.1.50/08")]
    [InlineData("192.168.1.50/-1")]
    [InlineData("192.168.1.50/24/1")]
    [InlineData("010.168.1.50/24")]
    [InlineData("10.5/8")]
    [InlineData("fd00::5/64")]
    [InlineData("/24")]
    public void A_broken_prefix_is_refused(string text) =>
        Assert.False(Ipv4Text.TryParseCidr(text, out _, out _));

    [Theory]
    [InlineData(0, 0u)]
    [InlineData(8, 0xFF000000u)]
    [InlineData(30, 0xFFFFFFFCu)]
    [InlineData(32, 0xFFFFFFFFu)]
    public void Masks_have_the_prefix_many_leading_ones(int prefix, uint mask) =>
        Assert.Equal(mask, Ipv4Text.Mask(prefix));
}
