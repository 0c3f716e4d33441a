//! Socket options. Every value travels as a u64; booleans are 0 or 1.

/// A socket option (setsockopt/getsockopt, and the ioctls that read a
/// socket's queues).
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub enum SocketOption {
    ReuseAddress,
    ReusePort,
    KeepAlive,
    NoDelay,
    V6Only,
    /// Bytes (SO_SNDBUF); takes effect at the next connect or listen.
    SendBuffer,
    /// Bytes (SO_RCVBUF); takes effect at the next connect or listen.
    ReceiveBuffer,
    /// TCP_KEEPIDLE, seconds.
    KeepIdle,
    /// TCP_KEEPINTVL, seconds.
    KeepInterval,
    /// TCP_KEEPCNT.
    KeepCount,
    TimeToLive,
    HopLimit,
    Broadcast,
    /// SO_LINGER: seconds + 1, 0 = off.
    Linger,
    /// Get only. SO_ERROR: takes the pending error (0 or an `Error` code) and clears it.
    Error,
    /// Get only. FIONREAD/SIOCINQ.
    ReadableBytes,
    /// Get only. SIOCOUTQ.
    UnsentBytes,
    /// Get only. SO_ACCEPTCONN (0/1).
    AcceptConnections,
    /// Get only. Linux TCP_* state number (1 ESTABLISHED ... 10 LISTEN, 11 CLOSING).
    TcpState,
    /// IP_HDRINCL (raw IPv4 sockets): sends carry their own IPv4 header.
    HeaderIncluded,
    /// TCP_CORK (streams) and UDP_CORK (datagrams): every send is held
    /// back as with `more` (MSG_MORE) while it is set; clearing it sends
    /// what was held.
    Cork,
}

impl SocketOption {
    /// Every option, in wire-code order (the code is the index).
    pub const ALL: [SocketOption; 21] = [
        SocketOption::ReuseAddress,
        SocketOption::ReusePort,
        SocketOption::KeepAlive,
        SocketOption::NoDelay,
        SocketOption::V6Only,
        SocketOption::SendBuffer,
        SocketOption::ReceiveBuffer,
        SocketOption::KeepIdle,
        SocketOption::KeepInterval,
        SocketOption::KeepCount,
        SocketOption::TimeToLive,
        SocketOption::HopLimit,
        SocketOption::Broadcast,
        SocketOption::Linger,
        SocketOption::Error,
        SocketOption::ReadableBytes,
        SocketOption::UnsentBytes,
        SocketOption::AcceptConnections,
        SocketOption::TcpState,
        SocketOption::HeaderIncluded,
        SocketOption::Cork,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<SocketOption> {
        SocketOption::ALL.get(usize::from(code)).copied()
    }

    /// Options that can only be read.
    pub fn is_read_only(self) -> bool {
        matches!(
            self,
            SocketOption::Error
                | SocketOption::ReadableBytes
                | SocketOption::UnsentBytes
                | SocketOption::AcceptConnections
                | SocketOption::TcpState
        )
    }
}
