//! The one client and the calls it makes on the driver's endpoint
//! (`protocols::net`): attaching, the notification to signal, the rings.
//!
//! The endpoint is served by the main thread; frames move on the data
//! thread (`datapath`). What both need sits in `SHARED`, under a lock held
//! only briefly: the client's capabilities, its rings until the data
//! thread takes them, and a generation that changes whenever the client
//! does, which tells the data thread to drop the old client's rings.

use abi::{CapType, Error, MsgInfo, Rights};
use protocols::net;
use rt::lock::SpinLock;
use rt::shared::SharedBuffer;
use rt::{println, sys};

/// What the device is, for `INFO`.
#[derive(Debug, Clone, Copy)]
pub struct Info {
    pub mac: [u8; 6],
    pub mtu: u16,
    pub link_up: bool,
    pub device_checksum: bool,
}

pub struct Client {
    /// Its task (READ): `task_wait` with no timeout tells if it ended.
    pub task: u64,
    /// Its notification and the bits to signal it with.
    pub events: Option<(u64, u64)>,
    /// Its rings, mapped, until the data thread takes them.
    pub rings: Option<SharedBuffer>,
    rings_given: bool,
}

pub struct Shared {
    pub info: Option<Info>,
    pub client: Option<Client>,
    /// Changes with every client change.
    pub generation: u32,
}

pub static SHARED: SpinLock<Shared> = SpinLock::new(Shared { info: None, client: None, generation: 0 });

impl Shared {
    /// Signals the client of `generation`, if it is still the one and
    /// said where. Best effort: a client that deleted its notification
    /// just hears nothing.
    pub fn signal(&self, generation: u32) {
        if self.generation != generation {
            return;
        }
        if let Some((slot, bits)) = self.client.as_ref().and_then(|c| c.events) {
            let _ = sys::notify_signal(slot, bits);
        }
    }

    /// Whether the client's task has ended (or its capability is no
    /// longer usable); then it is forgotten.
    pub fn forget_if_gone(&mut self) -> bool {
        let Some(client) = &self.client else { return false };
        match sys::task_wait(client.task, 0) {
            Err(Error::WouldBlock) | Err(Error::TimedOut) => false,
            _ => {
                println!("virtio-net: the client has ended; waiting for the next one");
                self.forget();
                true
            }
        }
    }

    fn forget(&mut self) {
        if let Some(old) = self.client.take() {
            let _ = sys::cap_delete(old.task);
            if let Some((slot, _)) = old.events {
                let _ = sys::cap_delete(slot);
            }
            if let Some(rings) = old.rings {
                let _ = rings.unmap();
            }
        }
        self.generation = self.generation.wrapping_add(1);
    }
}

pub type Reply = (MsgInfo, [u64; 4]);

fn reply(label: u32) -> Reply {
    (MsgInfo::new(label), [0; 4])
}

/// `INFO`'s words.
fn info_words(info: &Info) -> [u64; 4] {
    let mut flags = net::FLAG_CHECKSUM_OFFLOAD;
    if info.link_up {
        flags |= net::FLAG_LINK_UP;
    }
    if info.device_checksum {
        flags |= net::FLAG_DEVICE_CHECKSUM;
    }
    [net::mac_to_word(info.mac), u64::from(info.mtu), flags, u64::from(net::SLOTS) | (net::SLOT_BYTES as u64) << 32]
}

/// A capability of `cap_type` with `rights` in `slot`.
fn is(slot: u64, cap_type: CapType, rights: Rights) -> bool {
    sys::cap_info(slot).is_ok_and(|i| i.cap_type == cap_type && i.rights.contains(rights))
}

/// Serves one call. `kick` is the capability to the driver's
/// notification handed to clients; `wake` wakes the data thread (the rings
/// arrived).
pub fn handle(msg: &sys::Message, kick: u64, wake: impl Fn()) -> Reply {
    let cap = msg.info.cap();
    let (result, keep) = SHARED.with(|s| match msg.info.label() {
        net::INFO => match &s.info {
            Some(info) => ((MsgInfo::new(net::DONE), info_words(info)), false),
            None => (reply(net::FAILED), false),
        },
        net::ATTACH => attach(s, cap, kick),
        net::EVENTS => events(s, cap, msg.words[0]),
        net::RINGS => rings(s, cap),
        _ => (reply(net::UNSUPPORTED), false),
    });
    // A capability the call did not keep is not kept.
    if let (Some(slot), false) = (cap, keep) {
        let _ = sys::cap_delete(slot);
    }
    if msg.info.label() == net::RINGS && result.0.label() == net::DONE {
        wake();
    }
    result
}

/// (reply, whether the capability sent is kept).
type Handled = (Reply, bool);

fn attach(s: &mut Shared, cap: Option<u64>, kick: u64) -> Handled {
    let Some(task) = cap.filter(|&slot| is(slot, CapType::Task, Rights::READ)) else {
        return (reply(net::MALFORMED), false);
    };
    if s.client.is_some() && !s.forget_if_gone() {
        return (reply(net::BUSY), false);
    }
    let Some(info) = s.info else { return (reply(net::FAILED), false) };
    s.forget();
    s.client = Some(Client { task, events: None, rings: None, rings_given: false });
    println!("virtio-net: a client attached");
    ((MsgInfo::new(net::DONE).with_cap(kick), info_words(&info)), true)
}

fn events(s: &mut Shared, cap: Option<u64>, bits: u64) -> Handled {
    if s.forget_if_gone() || s.client.is_none() {
        return (reply(net::NOT_ATTACHED), false);
    }
    let Some(ntfn) = cap.filter(|&slot| is(slot, CapType::Notification, Rights::WRITE)) else {
        return (reply(net::MALFORMED), false);
    };
    if bits == 0 || bits & !abi::NOTIFY_BITS != 0 {
        return (reply(net::MALFORMED), false);
    }
    let client = s.client.as_mut().expect("checked above");
    if let Some((old, _)) = client.events.replace((ntfn, bits)) {
        let _ = sys::cap_delete(old);
    }
    (reply(net::DONE), true)
}

fn rings(s: &mut Shared, cap: Option<u64>) -> Handled {
    if s.forget_if_gone() || s.client.as_ref().is_none_or(|c| c.rings_given) {
        return (reply(net::NOT_ATTACHED), false);
    }
    let Some(mem) = cap.filter(|&slot| is(slot, CapType::Memory, Rights::READ | Rights::WRITE)) else {
        return (reply(net::MALFORMED), false);
    };
    let mapped = SharedBuffer::map(mem, net::RING_PAGES);
    // The mapping keeps the memory; the slot is not needed (and deleted
    // here, so every answer below says "kept").
    let _ = sys::cap_delete(mem);
    match mapped {
        Ok(buffer) => {
            // The link word is right before the reply, not only once the
            // data thread takes the rings up.
            let up = s.info.is_some_and(|i| i.link_up);
            buffer.store_u32(net::LINK, if up { net::LINK_UP } else { 0 });
            let client = s.client.as_mut().expect("checked above");
            client.rings = Some(buffer);
            client.rings_given = true;
            (reply(net::DONE), true)
        }
        Err(Error::InvalidArgument) => (reply(net::MALFORMED), true),
        Err(error) => {
            println!("virtio-net: cannot map the client's rings: {}", error.name());
            (reply(net::FAILED), true)
        }
    }
}
