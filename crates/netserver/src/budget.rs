//! The buffer budget: every smoltcp socket's buffers and every queued
//! datagram are counted against `Limits::buffer_bytes`, so that a server
//! out of memory refuses sockets and drops packets instead of failing.

use netproto::Error;
use smoltcp::socket::{tcp, udp};

use crate::socket::Part;
use crate::stack::Stack;

/// Closed TCP sockets kept per interface for reuse: more than a
/// listener's pool (`NetInterface::frames_per_round`) plus as many
/// connecting, so that a steady stream of short connections never zeroes
/// buffers.
const SPARE_TCP: usize = 32;

impl Stack {
    /// A TCP socket with the given buffers on interface `iface`, counted
    /// against the buffer budget.
    pub(crate) fn new_tcp_part(&mut self, iface: usize, rx: usize, tx: usize) -> Result<Part, Error> {
        self.new_tcp_part_within(iface, rx, tx, self.limits.buffer_bytes)
    }

    /// Listener pools fill only up to three quarters of the budget, so
    /// that a large backlog cannot starve connects and UDP.
    pub(crate) fn new_pool_part(&mut self, iface: usize, rx: usize, tx: usize) -> Result<Part, Error> {
        self.new_tcp_part_within(iface, rx, tx, self.limits.buffer_bytes / 4 * 3)
    }

    fn new_tcp_part_within(&mut self, iface: usize, rx: usize, tx: usize, budget: usize) -> Result<Part, Error> {
        let bytes = rx + tx;
        if let Some(mut socket) = self.take_spare_tcp(iface, rx, tx) {
            // Its bytes are still counted: the budget holds if the total
            // without them had room for them.
            if self.buffer_used <= budget {
                // It may have been answering requests (tcp.rs's
                // note_traffic): a new connection starts with quick ACKs.
                if self.interfaces[iface].is_loopback() {
                    socket.set_ack_delay(None);
                }
                let handle = self.interfaces[iface].sockets.add(socket);
                return Ok(Part { iface, handle, bytes });
            }
            self.buffer_used -= bytes;
        }
        self.charge(bytes, budget)?;
        let mut socket =
            tcp::Socket::new(tcp::SocketBuffer::new(alloc::vec![0; rx]), tcp::SocketBuffer::new(alloc::vec![0; tx]));
        if self.interfaces[iface].is_loopback() {
            // Delayed ACKs save packets on a wire; on loopback they only
            // stall a sender waiting for the window, except where a reply
            // can carry them (tcp.rs's note_traffic).
            socket.set_ack_delay(None);
        }
        let handle = self.interfaces[iface].sockets.add(socket);
        Ok(Part { iface, handle, bytes })
    }

    /// A spare socket of `iface` with these buffer sizes. `listen` and
    /// `connect` reset its connection state (and the callers apply the
    /// options); its buffers are emptied, not zeroed: nothing reads past
    /// what a connection wrote.
    fn take_spare_tcp(&mut self, iface: usize, rx: usize, tx: usize) -> Option<tcp::Socket<'static>> {
        let spares = &mut self.interfaces[iface].spare_tcp;
        let i = spares.iter().position(|s| s.recv_capacity() == rx && s.send_capacity() == tx)?;
        Some(spares.swap_remove(i))
    }

    /// Frees every spare socket's buffers (the budget ran short).
    fn drop_spare_tcp(&mut self) {
        for iface in &mut self.interfaces {
            for s in iface.spare_tcp.drain(..) {
                self.buffer_used -= s.recv_capacity() + s.send_capacity();
            }
        }
    }

    pub(crate) fn new_udp_part(&mut self, iface: usize, rx: usize, tx: usize) -> Result<Part, Error> {
        let bytes = rx + tx;
        self.charge(bytes, self.limits.buffer_bytes)?;
        // One metadata entry per 512 bytes of buffer: small datagrams
        // queue up to the buffer's size, as on Linux.
        let buffer = |size: usize| {
            udp::PacketBuffer::new(alloc::vec![udp::PacketMetadata::EMPTY; (size / 512).max(16)], alloc::vec![0; size])
        };
        let socket = udp::Socket::new(buffer(rx), buffer(tx));
        let handle = self.interfaces[iface].sockets.add(socket);
        Ok(Part { iface, handle, bytes })
    }

    fn charge(&mut self, bytes: usize, budget: usize) -> Result<(), Error> {
        let fits = |used: usize| used.checked_add(bytes).filter(|&u| u <= budget);
        let used = match fits(self.buffer_used) {
            Some(u) => u,
            None => {
                // Spare sockets give way to anything that needs the room.
                self.drop_spare_tcp();
                fits(self.buffer_used).ok_or(Error::NoBufferSpace)?
            }
        };
        self.buffer_used = used;
        Ok(())
    }

    /// Datagrams queued on server sockets count against the budget too.
    pub(crate) fn charge_queue(&mut self, bytes: usize) -> Result<(), Error> {
        self.charge(bytes, self.limits.buffer_bytes)
    }

    pub(crate) fn release(&mut self, bytes: usize) {
        self.buffer_used -= bytes;
    }

    /// Removes `part` from its interface. A closed TCP socket is kept as
    /// a spare for the next one (at most `SPARE_TCP` per interface), its
    /// bytes still counted; anything else gives its bytes back.
    pub(crate) fn free_part(&mut self, part: Part) {
        if let Some(iface) = self.interfaces.get_mut(part.iface) {
            if let smoltcp::socket::Socket::Tcp(socket) = iface.sockets.remove(part.handle) {
                if !socket.is_open() && iface.spare_tcp.len() < SPARE_TCP {
                    iface.spare_tcp.push(socket);
                    return;
                }
            }
            self.buffer_used -= part.bytes;
        }
    }

    pub(crate) fn tcp_socket(&mut self, part: Part) -> &mut tcp::Socket<'static> {
        self.interfaces[part.iface].sockets.get_mut::<tcp::Socket>(part.handle)
    }

    pub(crate) fn udp_socket(&mut self, part: Part) -> &mut udp::Socket<'static> {
        self.interfaces[part.iface].sockets.get_mut::<udp::Socket>(part.handle)
    }
}
