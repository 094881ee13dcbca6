using System.Buffers.Binary;
using System.Text;
using EdgeVisor.Emulation.Linux.Kernel;
using EdgeVisor.Emulation.Linux.Tests.Files;

namespace EdgeVisor.Emulation.Linux.Tests.Network;

/// <summary>Sockets over loopback only, called directly as a guest would.</summary>
public sealed class SocketTests : IDisposable
{
    private const int AfUnix = 1, AfInet = 2, SockStream = 1, SockDgram = 2, SolSocket = 1;
    private readonly SyscallHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Tcp_over_loopback_connects_accepts_and_carries_data_both_ways()
    {
        long server = _h.Call(SyscallNumber.Socket, AfInet, SockStream | (ulong)G.OCloExec, 0);
        Assert.True(server >= 3);
        ulong one = _h.Alloc(4);
        _h.Memory.TryWriteInt32(one, 1);
        Assert.Equal(0, _h.Call(SyscallNumber.Setsockopt, (ulong)server, SolSocket, 2, one, 4)); // SO_REUSEADDR
        ulong address = Loopback(0);
        Assert.Equal(0, _h.Call(SyscallNumber.Bind, (ulong)server, address, 16));
        Assert.Equal(0, _h.Call(SyscallNumber.Listen, (ulong)server, 4));
        ulong bound = _h.Alloc(16), length = _h.Alloc(4);
        _h.Memory.TryWriteInt32(length, 16);
        Assert.Equal(0, _h.Call(SyscallNumber.Getsockname, (ulong)server, bound, length));
        Assert.Equal(16, _h.I32(length));
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(_h.Read(bound + 2, 2));
        Assert.NotEqual(0, port);

        long client = _h.Call(SyscallNumber.Socket, AfInet, SockStream, 0);
        Assert.Equal(0, _h.Call(SyscallNumber.Connect, (ulong)client, Loopback(port), 16));
        ulong peer = _h.Alloc(16), peerLength = _h.Alloc(4);
        _h.Memory.TryWriteInt32(peerLength, 16);
        long accepted = _h.Call(SyscallNumber.Accept4, (ulong)server, peer, peerLength, (ulong)G.OCloExec);
        Assert.True(accepted > client);
        Assert.Equal(1, _h.Call(SyscallNumber.Fcntl, (ulong)accepted, 1));
        Assert.Equal(AfInet, BitConverter.ToUInt16(_h.Read(peer, 2)));

        Assert.Equal(5, _h.Call(SyscallNumber.Sendto, (ulong)client, _h.String("hello"), 5, 0, 0, 0));
        ulong buffer = _h.Alloc(16);
        Assert.Equal(5, _h.Call(SyscallNumber.Recvfrom, (ulong)accepted, buffer, 16, 0, 0, 0));
        Assert.Equal("hello", Encoding.ASCII.GetString(_h.Read(buffer, 5)));
        Assert.Equal(2, _h.Call(SyscallNumber.Write, (ulong)accepted, _h.String("ok"), 2));
        Assert.Equal(2, _h.Call(SyscallNumber.Read, (ulong)client, buffer, 16));

        ulong type = _h.Alloc(4), typeLength = _h.Alloc(4);
        _h.Memory.TryWriteInt32(typeLength, 4);
        Assert.Equal(0, _h.Call(SyscallNumber.Getsockopt, (ulong)client, SolSocket, 3, type, typeLength)); // SO_TYPE
        Assert.Equal(SockStream, _h.I32(type));
        Assert.Equal(0, _h.Call(SyscallNumber.Getpeername, (ulong)client, peer, peerLength));
        Assert.Equal(port, BinaryPrimitives.ReadUInt16BigEndian(_h.Read(peer + 2, 2)));

        Assert.Equal(0, _h.Call(SyscallNumber.Shutdown, (ulong)accepted, 1)); // SHUT_WR
        Assert.Equal(0, _h.Call(SyscallNumber.Read, (ulong)client, buffer, 16));
    }

    [Fact]
    public void Udp_datagrams_report_their_sender()
    {
        long a = _h.Call(SyscallNumber.Socket, AfInet, SockDgram, 0);
        long b = _h.Call(SyscallNumber.Socket, AfInet, SockDgram, 0);
        Assert.Equal(0, _h.Call(SyscallNumber.Bind, (ulong)b, Loopback(0), 16));
        ulong bound = _h.Alloc(16), length = _h.Alloc(4);
        _h.Memory.TryWriteInt32(length, 16);
        _h.Call(SyscallNumber.Getsockname, (ulong)b, bound, length);
        Assert.Equal(3, _h.Call(SyscallNumber.Sendto, (ulong)a, _h.String("dgm"), 3, 0, bound, 16));

        ulong buffer = _h.Alloc(16), from = _h.Alloc(16), fromLength = _h.Alloc(4);
        _h.Memory.TryWriteInt32(fromLength, 16);
        Assert.Equal(3, _h.Call(SyscallNumber.Recvfrom, (ulong)b, buffer, 16, 0, from, fromLength));
        Assert.Equal(AfInet, BitConverter.ToUInt16(_h.Read(from, 2)));
        Assert.Equal(16, _h.I32(fromLength));
        Assert.Equal(-Errno.EAGAIN, _h.Call(SyscallNumber.Recvfrom, (ulong)b, buffer, 16, 0x40, 0, 0)); // MSG_DONTWAIT
    }

    [Fact]
    public void Scm_rights_passes_a_guest_descriptor_that_arrives_as_a_new_guest_descriptor()
    {
        File.WriteAllText(_h.PathIn("passed"), "passed along");
        int file = _h.Open(_h.PathIn("passed"), G.ORdOnly);
        ulong pair = _h.Alloc(8);
        Assert.Equal(0, _h.Call(SyscallNumber.Socketpair, AfUnix, SockStream, 0, pair));
        int left = _h.I32(pair), right = _h.I32(pair + 4);

        ulong data = _h.String("x");
        ulong iov = _h.Alloc(16);
        _h.Memory.TryWriteUInt64(iov, data);
        _h.Memory.TryWriteUInt64(iov + 8, 1);
        ulong control = _h.Alloc(24);
        _h.Memory.TryWriteUInt64(control, 20);         // cmsg_len = CMSG_LEN(4)
        _h.Memory.TryWriteInt32(control + 8, SolSocket);
        _h.Memory.TryWriteInt32(control + 12, 1);      // SCM_RIGHTS
        _h.Memory.TryWriteInt32(control + 16, file);
        ulong message = Msghdr(iov, 1, control, 24);
        Assert.Equal(1, _h.Call(SyscallNumber.Sendmsg, (ulong)left, message, 0));
        Assert.Equal(file, _h.I32(control + 16)); // the guest's buffer is not rewritten

        ulong inData = _h.Alloc(8);
        ulong inIov = _h.Alloc(16);
        _h.Memory.TryWriteUInt64(inIov, inData);
        _h.Memory.TryWriteUInt64(inIov + 8, 8);
        ulong inControl = _h.Alloc(64);
        ulong inMessage = Msghdr(inIov, 1, inControl, 64);
        Assert.Equal(1, _h.Call(SyscallNumber.Recvmsg, (ulong)right, inMessage, 0x40000000)); // MSG_CMSG_CLOEXEC
        Assert.Equal(24, _h.I64(inMessage + 40)); // msg_controllen
        Assert.Equal(20, _h.I64(inControl));
        int received = _h.I32(inControl + 16);
        Assert.True(received > right, $"received descriptor {received}");
        Assert.Equal(1, _h.Call(SyscallNumber.Fcntl, (ulong)received, 1));
        ulong buffer = _h.Alloc(32);
        Assert.Equal(12, _h.Call(SyscallNumber.Pread64, (ulong)received, buffer, 32, 0));
        Assert.Equal("passed along", Encoding.ASCII.GetString(_h.Read(buffer, 12)));

        _h.Memory.TryWriteInt32(control + 16, 77);
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.Sendmsg, (ulong)left, message, 0));
    }

    [Fact]
    public void Sendmmsg_and_recvmmsg_move_several_datagrams_and_record_their_lengths()
    {
        ulong pair = _h.Alloc(8);
        Assert.Equal(0, _h.Call(SyscallNumber.Socketpair, AfUnix, SockDgram, 0, pair));
        int left = _h.I32(pair), right = _h.I32(pair + 4);
        ulong vector = _h.Alloc(128);
        for (int i = 0; i < 2; i++)
        {
            ulong iov = _h.Alloc(16);
            _h.Memory.TryWriteUInt64(iov, _h.String(i == 0 ? "one" : "three"));
            _h.Memory.TryWriteUInt64(iov + 8, i == 0 ? 3UL : 5UL);
            WriteMsghdr(vector + (ulong)(64 * i), iov, 1, 0, 0);
        }

        Assert.Equal(2, _h.Call(SyscallNumber.Sendmmsg, (ulong)left, vector, 2, 0));
        Assert.Equal(3, _h.I32(vector + 56));
        Assert.Equal(5, _h.I32(vector + 64 + 56));

        ulong inVector = _h.Alloc(192);
        for (int i = 0; i < 3; i++)
        {
            ulong iov = _h.Alloc(16);
            _h.Memory.TryWriteUInt64(iov, _h.Alloc(8));
            _h.Memory.TryWriteUInt64(iov + 8, 8);
            WriteMsghdr(inVector + (ulong)(64 * i), iov, 1, 0, 0);
        }

        // MSG_WAITFORONE: after the first datagram, stop instead of waiting for a third.
        Assert.Equal(2, _h.Call(SyscallNumber.Recvmmsg, (ulong)right, inVector, 3, 0x10000, 0));
        Assert.Equal(5, _h.I32(inVector + 64 + 56));
    }

    [Fact]
    public void Socket_calls_on_a_file_are_ENOTSOCK_and_bad_descriptors_EBADF()
    {
        int file = _h.Open(_h.PathIn("plain"), G.OCreat | G.ORdWr);
        Assert.Equal(-Errno.ENOTSOCK, _h.Call(SyscallNumber.Listen, (ulong)file, 1));
        Assert.Equal(-Errno.EBADF, _h.Call(SyscallNumber.Connect, 99, Loopback(1), 16));
        Assert.Equal(-Errno.EFAULT, _h.Call(SyscallNumber.Connect, (ulong)file, SyscallHarness.Unmapped, 16));
        long socket = _h.Call(SyscallNumber.Socket, AfInet, SockStream, 0);
        Assert.Equal(-Errno.EINVAL, _h.Call(SyscallNumber.Accept4, (ulong)socket, 0, 0, 1));
    }

    private ulong Loopback(ushort port)
    {
        var sockaddr = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(sockaddr, AfInet);
        BinaryPrimitives.WriteUInt16BigEndian(sockaddr.AsSpan(2), port);
        sockaddr[4] = 127;
        sockaddr[7] = 1;
        return _h.Bytes(sockaddr);
    }

    private ulong Msghdr(ulong iov, ulong iovCount, ulong control, ulong controlLength)
    {
        ulong message = _h.Alloc(56);
        WriteMsghdr(message, iov, iovCount, control, controlLength);
        return message;
    }

    private void WriteMsghdr(ulong message, ulong iov, ulong iovCount, ulong control, ulong controlLength)
    {
        _h.Memory.TryWriteUInt64(message + 16, iov);
        _h.Memory.TryWriteUInt64(message + 24, iovCount);
        _h.Memory.TryWriteUInt64(message + 32, control);
        _h.Memory.TryWriteUInt64(message + 40, controlLength);
    }
}
