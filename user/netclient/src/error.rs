//! What can go wrong besides a socket error.

/// Why a call failed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    /// The socket operation failed (as errno would say).
    Socket(netproto::Error),
    /// The IPC call to the server failed (the server is gone, ...).
    Ipc(abi::Error),
    /// The server answered with this `protocols::sockets` reply label.
    Refused(u32),
    /// The server's answer did not decode, or was not the one expected.
    Malformed,
}

impl From<netproto::Error> for NetError {
    fn from(e: netproto::Error) -> NetError {
        NetError::Socket(e)
    }
}

impl From<abi::Error> for NetError {
    fn from(e: abi::Error) -> NetError {
        NetError::Ipc(e)
    }
}
