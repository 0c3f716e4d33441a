//! Socket options: what each socket remembers, and the checks on values.

use netproto::{Error, Family, Kind, SocketOption};

use crate::socket::{Protocol, Socket};
use crate::stack::{Outcome, Stack};

/// Socket buffers are at least this big, and at most [`BUFFER_MAX`].
pub(crate) const BUFFER_MIN: usize = 2048;
pub(crate) const BUFFER_MAX: usize = 4 << 20;
/// A TCP socket's buffers when SO_RCVBUF/SO_SNDBUF are not set. smoltcp
/// allocates them whole when the socket is made (Linux grows its buffers
/// as data comes), so they are kept modest: 200 connections at both ends
/// of the loopback take 37.5 MiB. Above 64 KiB smoltcp scales the window
/// (RFC 7323) by itself.
pub(crate) const RECEIVE_BUFFER_DEFAULT: usize = 64 << 10;
pub(crate) const SEND_BUFFER_DEFAULT: usize = 32 << 10;
/// A UDP socket's send buffer must hold the largest datagram.
pub(crate) const UDP_BUFFER_DEFAULT: usize = 128 << 10;

#[derive(Clone, Debug)]
pub(crate) struct Options {
    pub reuse_address: bool,
    pub reuse_port: bool,
    pub keep_alive: bool,
    pub no_delay: bool,
    pub v6_only: bool,
    pub send_buffer: usize,
    pub receive_buffer: usize,
    pub keep_idle: u64,
    pub keep_interval: u64,
    pub keep_count: u64,
    pub hop_limit: Option<u8>,
    pub broadcast: bool,
    /// SO_LINGER as on the wire: seconds + 1, 0 = off.
    pub linger: u64,
    /// IP_HDRINCL (raw IPv4 sockets).
    pub header_included: bool,
    /// TCP_CORK / UDP_CORK: every send is held back as with MSG_MORE.
    pub cork: bool,
}

impl Options {
    pub fn new(kind: Kind) -> Options {
        let (send_buffer, receive_buffer) = match kind {
            Kind::Stream => (SEND_BUFFER_DEFAULT, RECEIVE_BUFFER_DEFAULT),
            Kind::Datagram | Kind::Ping | Kind::Raw => (UDP_BUFFER_DEFAULT, UDP_BUFFER_DEFAULT),
        };
        Options {
            reuse_address: false,
            reuse_port: false,
            keep_alive: false,
            no_delay: false,
            v6_only: false,
            send_buffer,
            receive_buffer,
            // Linux's defaults: 2 hours idle, 75 s between probes, 9 probes.
            keep_idle: 7200,
            keep_interval: 75,
            keep_count: 9,
            hop_limit: None,
            broadcast: false,
            linger: 0,
            header_included: false,
            cork: false,
        }
    }

    /// Sets one stored option; the caller applies it to smoltcp sockets.
    /// `bound`: V6Only may not change once the socket has an address.
    pub fn set(
        &mut self,
        family: Family,
        kind: Kind,
        bound: bool,
        option: SocketOption,
        value: u64,
    ) -> Result<(), Error> {
        let flag = value != 0;
        let seconds = |v: u64| if (1..=32767).contains(&v) { Ok(v) } else { Err(Error::InvalidArgument) };
        match option {
            SocketOption::ReuseAddress => self.reuse_address = flag,
            SocketOption::ReusePort => self.reuse_port = flag,
            SocketOption::KeepAlive => self.keep_alive = flag,
            SocketOption::NoDelay if kind == Kind::Stream => self.no_delay = flag,
            SocketOption::V6Only if family == Family::V6 => {
                if bound {
                    return Err(Error::InvalidArgument);
                }
                self.v6_only = flag;
            }
            SocketOption::SendBuffer => self.send_buffer = clamp_buffer(value),
            SocketOption::ReceiveBuffer => self.receive_buffer = clamp_buffer(value),
            SocketOption::KeepIdle if kind == Kind::Stream => self.keep_idle = seconds(value)?,
            SocketOption::KeepInterval if kind == Kind::Stream => self.keep_interval = seconds(value)?,
            SocketOption::KeepCount if kind == Kind::Stream => {
                self.keep_count = if (1..=127).contains(&value) { value } else { return Err(Error::InvalidArgument) }
            }
            SocketOption::TimeToLive if family == Family::V4 => self.hop_limit = hop_limit(value)?,
            SocketOption::HopLimit if family == Family::V6 => self.hop_limit = hop_limit(value)?,
            SocketOption::Broadcast if kind != Kind::Stream => self.broadcast = flag,
            SocketOption::HeaderIncluded if kind == Kind::Raw && family == Family::V4 => self.header_included = flag,
            SocketOption::Linger => self.linger = value.min(u64::from(u32::MAX) + 1),
            SocketOption::Cork if matches!(kind, Kind::Stream | Kind::Datagram) => self.cork = flag,
            o if o.is_read_only() => return Err(Error::InvalidArgument),
            _ => return Err(Error::NoSuchOption),
        }
        Ok(())
    }

    /// A stored option's value; None for the ones computed from the socket.
    pub fn get(&self, family: Family, kind: Kind, option: SocketOption) -> Option<Result<u64, Error>> {
        let value = match option {
            SocketOption::ReuseAddress => self.reuse_address as u64,
            SocketOption::ReusePort => self.reuse_port as u64,
            SocketOption::KeepAlive => self.keep_alive as u64,
            SocketOption::NoDelay if kind == Kind::Stream => self.no_delay as u64,
            SocketOption::V6Only if family == Family::V6 => self.v6_only as u64,
            SocketOption::SendBuffer => self.send_buffer as u64,
            SocketOption::ReceiveBuffer => self.receive_buffer as u64,
            SocketOption::KeepIdle if kind == Kind::Stream => self.keep_idle,
            SocketOption::KeepInterval if kind == Kind::Stream => self.keep_interval,
            SocketOption::KeepCount if kind == Kind::Stream => self.keep_count,
            SocketOption::TimeToLive if family == Family::V4 => self.hop_limit.map_or(64, u64::from),
            SocketOption::HopLimit if family == Family::V6 => self.hop_limit.map_or(64, u64::from),
            SocketOption::Broadcast if kind != Kind::Stream => self.broadcast as u64,
            SocketOption::HeaderIncluded if kind == Kind::Raw && family == Family::V4 => self.header_included as u64,
            SocketOption::Linger => self.linger,
            SocketOption::Cork if matches!(kind, Kind::Stream | Kind::Datagram) => self.cork as u64,
            o if o.is_read_only() => return None,
            _ => return Some(Err(Error::NoSuchOption)),
        };
        Some(Ok(value))
    }

    /// SO_LINGER with a zero timeout: close resets instead of finishing.
    pub fn linger_resets(&self) -> bool {
        self.linger == 1
    }
}

fn clamp_buffer(value: u64) -> usize {
    usize::try_from(value).unwrap_or(BUFFER_MAX).clamp(BUFFER_MIN, BUFFER_MAX)
}

fn hop_limit(value: u64) -> Result<Option<u8>, Error> {
    match value {
        // Linux: -1 (here u64::MAX or u32::MAX) means the default.
        u64::MAX | 0xffff_ffff => Ok(None),
        1..=255 => Ok(Some(value as u8)),
        _ => Err(Error::InvalidArgument),
    }
}

impl Stack {
    pub(crate) fn set_option(&mut self, socket: &mut Socket, option: netproto::SocketOption, value: u64) -> Outcome {
        let kind = socket.kind();
        if let Err(e) = socket.options.set(socket.family, kind, socket.binding.is_some(), option, value) {
            return e.into();
        }
        if option == netproto::SocketOption::Cork && value == 0 {
            match &socket.protocol {
                Protocol::Tcp(_) => self.tcp_uncork(socket),
                Protocol::Udp(_) => self.udp_uncork(socket),
                Protocol::Icmp(_) => {}
            }
        }
        match &socket.protocol {
            Protocol::Tcp(state) => {
                for part in state.parts() {
                    let options = socket.options.clone();
                    crate::tcp::apply_options(self.tcp_socket(part), &options);
                }
            }
            Protocol::Udp(state) => {
                for &part in &state.parts {
                    let hop_limit = socket.options.hop_limit;
                    self.udp_socket(part).set_hop_limit(hop_limit);
                }
            }
            // Read at each send.
            Protocol::Icmp(_) => {}
        }
        Outcome::Done
    }

    pub(crate) fn get_option(&mut self, socket: &mut Socket, option: netproto::SocketOption) -> Outcome {
        use netproto::SocketOption as O;
        if let Some(stored) = socket.options.get(socket.family, socket.kind(), option) {
            return match stored {
                Ok(v) => Outcome::Value(v),
                Err(e) => e.into(),
            };
        }
        match option {
            O::Error => Outcome::Value(socket.pending_error.take().map_or(0, |e| u64::from(e.code()))),
            O::AcceptConnections => {
                Outcome::Value(matches!(&socket.protocol, Protocol::Tcp(t) if t.is_listening()) as u64)
            }
            _ => match &socket.protocol {
                Protocol::Tcp(_) => self.tcp_get(socket, option),
                Protocol::Udp(_) => self.udp_get(socket, option),
                Protocol::Icmp(_) => self.icmp_get(socket, option),
            },
        }
    }
}
