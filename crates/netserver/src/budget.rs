//! The buffer budget: every smoltcp socket's buffers and every queued
//! datagram are counted against `Limits::buffer_bytes`, so that a server
//! out of memory refuses sockets and drops packets instead of failing.

use netproto::Error;
use smoltcp::socket::{tcp, udp};

use crate::socket::Part;
use crate::stack::Stack;

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
        self.charge(bytes, budget)?;
        let mut socket =
            tcp::Socket::new(tcp::SocketBuffer::new(alloc::vec![0; rx]), tcp::SocketBuffer::new(alloc::vec![0; tx]));
        if self.interfaces[iface].is_loopback() {
            // Delayed ACKs save packets on a wire; on loopback they only
            // stall a sender waiting for the window.
            socket.set_ack_delay(None);
        }
        let handle = self.interfaces[iface].sockets.add(socket);
        Ok(Part { iface, handle, bytes })
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
        let used = self.buffer_used.checked_add(bytes).ok_or(Error::NoBufferSpace)?;
        if used > budget {
            return Err(Error::NoBufferSpace);
        }
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

    pub(crate) fn free_part(&mut self, part: Part) {
        if let Some(iface) = self.interfaces.get_mut(part.iface) {
            iface.sockets.remove(part.handle);
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
