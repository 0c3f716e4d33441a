//! The socket table: slots named by [`SocketHandle`]s whose generation
//! makes a stale or forged handle miss instead of reaching a reused slot.

use alloc::vec::Vec;

use netproto::{Error, SocketHandle};

use crate::socket::Socket;

struct Slot {
    generation: u32,
    socket: Option<Socket>,
    /// Taken out while a request works on it (see [`SocketTable::take`]).
    lent: bool,
}

pub(crate) struct SocketTable {
    slots: Vec<Slot>,
    free: Vec<u32>,
    limit: usize,
    open: usize,
}

impl SocketTable {
    pub fn new(limit: usize) -> SocketTable {
        SocketTable { slots: Vec::new(), free: Vec::new(), limit, open: 0 }
    }

    pub fn insert(&mut self, socket: Socket) -> Result<SocketHandle, Error> {
        if self.open >= self.limit {
            return Err(Error::TooManySockets);
        }
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                let index = u32::try_from(self.slots.len()).map_err(|_| Error::TooManySockets)?;
                self.slots.push(Slot { generation: 0, socket: None, lent: false });
                index
            }
        };
        let slot = &mut self.slots[index as usize];
        // Generation 0 is never handed out: a zeroed handle is always stale.
        slot.generation = slot.generation.wrapping_add(1).max(1);
        slot.socket = Some(socket);
        self.open += 1;
        Ok(SocketHandle::new(index, slot.generation))
    }

    fn slot(&mut self, handle: SocketHandle) -> Result<&mut Slot, Error> {
        let slot = self.slots.get_mut(handle.slot() as usize).ok_or(Error::BadHandle)?;
        if slot.generation != handle.generation() || slot.socket.is_none() {
            return Err(Error::BadHandle);
        }
        Ok(slot)
    }

    /// Lends a socket out of the table so that a request can work on it
    /// and the rest of the stack at once; [`put_back`](Self::put_back)
    /// returns it. While lent, scans of the table do not see it.
    pub fn take(&mut self, handle: SocketHandle) -> Result<Socket, Error> {
        let slot = self.slot(handle)?;
        slot.lent = true;
        slot.socket.take().ok_or(Error::BadHandle)
    }

    pub fn put_back(&mut self, handle: SocketHandle, socket: Socket) {
        if let Some(slot) = self.slots.get_mut(handle.slot() as usize) {
            if slot.lent && slot.generation == handle.generation() {
                slot.socket = Some(socket);
                slot.lent = false;
            }
        }
    }

    /// Frees a lent slot: the socket is gone.
    pub fn release(&mut self, handle: SocketHandle) {
        if let Some(slot) = self.slots.get_mut(handle.slot() as usize) {
            if slot.lent && slot.generation == handle.generation() {
                slot.lent = false;
                self.open -= 1;
                self.free.push(handle.slot());
            }
        }
    }

    pub fn get(&self, handle: SocketHandle) -> Option<&Socket> {
        let slot = self.slots.get(handle.slot() as usize)?;
        if slot.generation != handle.generation() {
            return None;
        }
        slot.socket.as_ref()
    }

    pub fn get_mut(&mut self, handle: SocketHandle) -> Option<&mut Socket> {
        self.slot(handle).ok()?.socket.as_mut()
    }

    pub fn iter(&self) -> impl Iterator<Item = (SocketHandle, &Socket)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| slot.socket.as_ref().map(|s| (SocketHandle::new(i as u32, slot.generation), s)))
    }

    /// Slots to visit with [`at_mut`](Self::at_mut): a scan without
    /// allocating (scans run after every polling round).
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    pub fn at_mut(&mut self, index: usize) -> Option<(SocketHandle, &mut Socket)> {
        let slot = self.slots.get_mut(index)?;
        let generation = slot.generation;
        slot.socket.as_mut().map(|s| (SocketHandle::new(index as u32, generation), s))
    }

    pub fn handles(&self) -> Vec<SocketHandle> {
        self.iter().map(|(h, _)| h).collect()
    }

    pub fn has_room(&self) -> bool {
        self.open < self.limit
    }
}
