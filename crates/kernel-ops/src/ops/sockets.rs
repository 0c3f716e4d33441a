//! Sockets: one part of the core's surface, [`crate::KernelOps`].

use crate::{
    DescriptorFlags, Error, Fd, InetOption, KResult, NetworkRecord, ReceiveRequest, Received, SendRequest,
    SocketAddress, SocketFamily, SocketInfo, SocketKind, SocketSetting,
};

/// Sockets, local and Internet. Every call on a descriptor that is not a
/// socket is `NotASocket`. The defaults refuse, so a core without sockets
/// (a test's fake) still builds.
pub trait SocketOps {
    /// A new unconnected socket (`SocketTypeNotSupported` for a kind the
    /// family has not: Internet sockets are streams, datagrams, ping or
    /// raw ICMP sockets).
    fn socket_create(&mut self, _family: SocketFamily, _kind: SocketKind, _flags: DescriptorFlags) -> KResult<Fd> {
        Err(Error::NotSupported)
    }
    /// Two sockets connected to each other.
    fn socket_pair(&mut self, _kind: SocketKind, _flags: DescriptorFlags) -> KResult<(Fd, Fd)> {
        Err(Error::NotSupported)
    }
    /// Names the socket: a path creates a socket node (`AddressInUse` if
    /// the name exists); `Unnamed` picks a free abstract name.
    fn socket_bind(&mut self, _fd: Fd, _addr: &SocketAddress) -> KResult<()> {
        Err(Error::NotSupported)
    }
    /// Accepts connections, at most `backlog` waiting.
    fn socket_listen(&mut self, _fd: Fd, _backlog: u32) -> KResult<()> {
        Err(Error::NotSupported)
    }
    /// Takes a waiting connection: the new socket and its peer's name.
    fn socket_accept(&mut self, _fd: Fd, _flags: DescriptorFlags) -> KResult<(Fd, SocketAddress)> {
        Err(Error::NotSupported)
    }
    /// Connects to the socket named `addr` (None: a datagram socket
    /// forgets its peer). Blocking waits are `Restart` on a signal.
    fn socket_connect(&mut self, _fd: Fd, _addr: Option<&SocketAddress>, _non_blocking: bool) -> KResult<()> {
        Err(Error::NotSupported)
    }
    /// Sends one message (a stream may take part of it, non-blocking).
    fn socket_send(&mut self, _fd: Fd, _request: &SendRequest<'_>) -> KResult<usize> {
        Err(Error::NotSupported)
    }
    /// Receives; `fd_room(credentials_too)` says how many descriptors fit
    /// the caller's control buffer.
    fn socket_receive(
        &mut self,
        _fd: Fd,
        _request: &ReceiveRequest<'_>,
        _fd_room: &dyn Fn(bool) -> usize,
    ) -> KResult<Received> {
        Err(Error::NotSupported)
    }
    fn socket_shutdown(&mut self, _fd: Fd, _read: bool, _write: bool) -> KResult<()> {
        Err(Error::NotSupported)
    }
    /// The socket's own name, or (peer) its peer's (`NotConnected`).
    fn socket_address(&mut self, _fd: Fd, _peer: bool) -> KResult<SocketAddress> {
        Err(Error::NotSupported)
    }
    fn socket_info(&mut self, _fd: Fd) -> KResult<SocketInfo> {
        Err(Error::NotSupported)
    }
    /// SO_ERROR: the pending error, cleared by taking it.
    fn socket_take_error(&mut self, _fd: Fd) -> KResult<Option<Error>> {
        Err(Error::NotSupported)
    }
    fn set_socket_setting(&mut self, _fd: Fd, _setting: SocketSetting) -> KResult<()> {
        Err(Error::NotSupported)
    }
    /// An Internet socket's option (`NoSuchOption` on a local socket).
    fn socket_inet_option(&mut self, _fd: Fd, _option: InetOption) -> KResult<u64> {
        Err(Error::NotSupported)
    }
    /// A routing socket's protocol option (`NoSuchOption` for one it has
    /// not; `NotSupported` on other sockets), by Linux's `SOL_NETLINK`
    /// number.
    fn socket_netlink_option(&mut self, _fd: Fd, _option: u32) -> KResult<u32> {
        Err(Error::NotSupported)
    }
    /// The network's interfaces, addresses and routes, as the network
    /// server reports them (`NetworkDown` without a server).
    fn network_interfaces(&mut self) -> KResult<NetworkRecord> {
        Err(Error::NotSupported)
    }
}
