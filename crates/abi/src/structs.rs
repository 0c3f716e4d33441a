//! Structures passed through user memory, with their exact byte layouts
//! (little-endian, no padding). The kernel decodes them from bytes it has
//! copied in; it never trusts a user pointer to be a Rust value.

use crate::{CapType, Rights, NO_CAP};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// Fewer bytes than the structure's size.
    Truncated,
    /// A field holds a value the ABI does not allow.
    BadField(&'static str),
}

fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}

fn u64_at(b: &[u8], o: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[o..o + 8]);
    u64::from_le_bytes(a)
}

/// Most capabilities a spawner can hand a new task.
pub const MAX_SPAWN_CAPS: usize = 16;

/// What `task_spawn` reads: the new task's name and argument, who is told
/// when it ends, and exactly which capabilities it gets.
///
/// Layout (176 bytes): `name: [u8; 16]` (NUL-padded), `arg: u64` (the new
/// task's first argument register), `supervisor: u32` (a Notification slot
/// in the spawner's table signalled when the task ends, or `NO_CAP`),
/// `cap_count: u32`, `supervisor_bits: u64` (the bits signalled),
/// `memory_limit_pages: u64` (0: no limit beyond the system's), then 16
/// entries of `{ slot: u32, rights: u32 }`: the spawner's capability at
/// `slot` is copied, with its rights narrowed to `rights`, into the new
/// task's slot `FIRST_GRANTED_SLOT + i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpawnSpec {
    pub name: [u8; 16],
    pub arg: u64,
    pub supervisor: u64,
    pub supervisor_bits: u64,
    pub memory_limit_pages: u64,
    pub cap_count: usize,
    pub caps: [(u64, Rights); MAX_SPAWN_CAPS],
}

impl SpawnSpec {
    pub const SIZE: usize = 48 + MAX_SPAWN_CAPS * 8;

    pub fn new(name: &[u8]) -> SpawnSpec {
        let mut n = [0u8; 16];
        let len = name.len().min(15);
        n[..len].copy_from_slice(&name[..len]);
        SpawnSpec {
            name: n,
            arg: 0,
            supervisor: NO_CAP,
            supervisor_bits: 0,
            memory_limit_pages: 0,
            cap_count: 0,
            caps: [(0, Rights::NONE); MAX_SPAWN_CAPS],
        }
    }

    /// Adds a capability; false when the list is full.
    pub fn grant(&mut self, slot: u64, rights: Rights) -> bool {
        if self.cap_count == MAX_SPAWN_CAPS {
            return false;
        }
        self.caps[self.cap_count] = (slot, rights);
        self.cap_count += 1;
        true
    }

    pub fn encode(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        b[0..16].copy_from_slice(&self.name);
        b[16..24].copy_from_slice(&self.arg.to_le_bytes());
        b[24..28].copy_from_slice(&(self.supervisor as u32).to_le_bytes());
        b[28..32].copy_from_slice(&(self.cap_count as u32).to_le_bytes());
        b[32..40].copy_from_slice(&self.supervisor_bits.to_le_bytes());
        b[40..48].copy_from_slice(&self.memory_limit_pages.to_le_bytes());
        for (i, (slot, rights)) in self.caps.iter().enumerate() {
            let o = 48 + i * 8;
            b[o..o + 4].copy_from_slice(&(*slot as u32).to_le_bytes());
            b[o + 4..o + 8].copy_from_slice(&rights.bits().to_le_bytes());
        }
        b
    }

    pub fn decode(b: &[u8]) -> Result<SpawnSpec, DecodeError> {
        if b.len() < Self::SIZE {
            return Err(DecodeError::Truncated);
        }
        let mut name = [0u8; 16];
        name.copy_from_slice(&b[0..16]);
        if name[15] != 0 {
            return Err(DecodeError::BadField("name is not NUL-terminated"));
        }
        let supervisor = u64::from(u32_at(b, 24));
        let cap_count = u32_at(b, 28) as usize;
        if cap_count > MAX_SPAWN_CAPS {
            return Err(DecodeError::BadField("cap_count"));
        }
        let mut caps = [(0, Rights::NONE); MAX_SPAWN_CAPS];
        for (i, c) in caps.iter_mut().enumerate().take(cap_count) {
            let o = 48 + i * 8;
            let rights = Rights::from_bits(u64::from(u32_at(b, o + 4))).ok_or(DecodeError::BadField("rights"))?;
            *c = (u64::from(u32_at(b, o)), rights);
        }
        Ok(SpawnSpec {
            name,
            arg: u64_at(b, 16),
            supervisor,
            supervisor_bits: u64_at(b, 32),
            memory_limit_pages: u64_at(b, 40),
            cap_count,
            caps,
        })
    }

    /// The name up to its first NUL.
    pub fn name_bytes(&self) -> &[u8] {
        let end = self.name.iter().position(|&c| c == 0).unwrap_or(16);
        &self.name[..end]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum TaskStatusKind {
    /// The task (or thread) called `task_exit` (`thread_exit`).
    Exited = 1,
    /// The CPU raised an exception the task could not handle; it was killed.
    Faulted = 2,
    /// Another task killed it with `task_kill`.
    Killed = 3,
}

/// What `task_wait` and `thread_wait` write. Layout (24 bytes): `kind: u32`,
/// `code: i32` (the exit code; for a fault, the CPU exception vector),
/// `fault_addr: u64` (the faulting data address for page faults),
/// `fault_ip: u64` (the instruction that faulted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskStatus {
    pub kind: TaskStatusKind,
    pub code: i32,
    pub fault_addr: u64,
    pub fault_ip: u64,
}

impl TaskStatus {
    pub const SIZE: usize = 24;

    pub fn encode(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        b[0..4].copy_from_slice(&(self.kind as u32).to_le_bytes());
        b[4..8].copy_from_slice(&self.code.to_le_bytes());
        b[8..16].copy_from_slice(&self.fault_addr.to_le_bytes());
        b[16..24].copy_from_slice(&self.fault_ip.to_le_bytes());
        b
    }

    pub fn decode(b: &[u8]) -> Result<TaskStatus, DecodeError> {
        if b.len() < Self::SIZE {
            return Err(DecodeError::Truncated);
        }
        let kind = match u32_at(b, 0) {
            1 => TaskStatusKind::Exited,
            2 => TaskStatusKind::Faulted,
            3 => TaskStatusKind::Killed,
            _ => return Err(DecodeError::BadField("kind")),
        };
        Ok(TaskStatus { kind, code: u32_at(b, 4) as i32, fault_addr: u64_at(b, 8), fault_ip: u64_at(b, 16) })
    }
}

/// What `cap_info` writes. Layout (32 bytes): `cap_type: u32`, `rights: u32`,
/// `badge: u64`, `base: u64`, `len: u64`. `base`/`len` describe the range a
/// ranged capability covers (I/O ports, IRQ lines, MMIO bytes) or, for
/// memory, 0 and the size in bytes; otherwise 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapInfo {
    pub cap_type: CapType,
    pub rights: Rights,
    pub badge: u64,
    pub base: u64,
    pub len: u64,
}

impl CapInfo {
    pub const SIZE: usize = 32;

    pub fn encode(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        b[0..4].copy_from_slice(&(self.cap_type as u32).to_le_bytes());
        b[4..8].copy_from_slice(&self.rights.bits().to_le_bytes());
        b[8..16].copy_from_slice(&self.badge.to_le_bytes());
        b[16..24].copy_from_slice(&self.base.to_le_bytes());
        b[24..32].copy_from_slice(&self.len.to_le_bytes());
        b
    }

    pub fn decode(b: &[u8]) -> Result<CapInfo, DecodeError> {
        if b.len() < Self::SIZE {
            return Err(DecodeError::Truncated);
        }
        let cap_type = CapType::from_code(u64::from(u32_at(b, 0))).ok_or(DecodeError::BadField("cap_type"))?;
        let rights = Rights::from_bits(u64::from(u32_at(b, 4))).ok_or(DecodeError::BadField("rights"))?;
        Ok(CapInfo { cap_type, rights, badge: u64_at(b, 8), base: u64_at(b, 16), len: u64_at(b, 24) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn spawn_spec_decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = SpawnSpec::decode(&bytes);
            let _ = TaskStatus::decode(&bytes);
            let _ = CapInfo::decode(&bytes);
        }

        #[test]
        fn spawn_spec_round_trips(arg: u64, bits: u64, n in 0usize..=MAX_SPAWN_CAPS, slot in 0u64..4096, r in 0u32..0x40, limit: u64) {
            let mut s = SpawnSpec::new(b"server");
            s.arg = arg;
            s.supervisor = 9;
            s.supervisor_bits = bits;
            s.memory_limit_pages = limit;
            for _ in 0..n { prop_assert!(s.grant(slot, Rights(r))); }
            let d = SpawnSpec::decode(&s.encode()).unwrap();
            prop_assert_eq!(d, s);
            prop_assert_eq!(d.name_bytes(), b"server");
            prop_assert_eq!(SpawnSpec::decode(&s.encode()[..SpawnSpec::SIZE - 1]), Err(DecodeError::Truncated));
        }
    }

    #[test]
    fn spawn_spec_rejects_bad_fields() {
        let mut b = SpawnSpec::new(b"x").encode();
        b[28] = 17;
        assert_eq!(SpawnSpec::decode(&b), Err(DecodeError::BadField("cap_count")));
        let mut s = SpawnSpec::new(b"x");
        s.grant(1, Rights(0x40));
        assert_eq!(SpawnSpec::decode(&s.encode()), Err(DecodeError::BadField("rights")));
        let mut b = SpawnSpec::new(b"x").encode();
        b[15] = b'a';
        assert!(SpawnSpec::decode(&b).is_err());
    }

    #[test]
    fn status_and_info_round_trip() {
        let s = TaskStatus { kind: TaskStatusKind::Faulted, code: 14, fault_addr: 0xdead, fault_ip: 0x1000 };
        assert_eq!(TaskStatus::decode(&s.encode()), Ok(s));
        let c = CapInfo { cap_type: CapType::IoPorts, rights: Rights::READ, badge: 3, base: 0x2f8, len: 8 };
        assert_eq!(CapInfo::decode(&c.encode()), Ok(c));
    }
}
