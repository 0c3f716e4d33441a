//! Who a socket belongs to. The kernel's requests (the Linux personality's
//! sockets) and each native client of user/netstack's IPC protocol share
//! one stack, but none may reach another's sockets: a request naming a
//! socket of another owner is answered exactly as one naming no socket
//! (`BadHandle`), so a client cannot even learn which handles exist.

/// The owner of a socket, fixed when it is opened (or accepted: the
/// listener's owner).
#[derive(Copy, Clone, Eq, PartialEq, Ord, PartialOrd, Hash, Debug)]
pub enum Owner {
    /// The kernel: every Linux program's Internet sockets.
    Kernel,
    /// A native client, by the number the server gave it when it attached
    /// (never reused while the server runs).
    Client(u64),
}

/// Sockets one native client may hold at once (accepted connections
/// included): a client must not fill the table the kernel's sockets need.
/// The buffer budget (`Limits::buffer_bytes`) bounds their memory besides.
pub const CLIENT_SOCKETS: usize = 256;
