//! The machine's keys by serial number, the keyrings tasks hold, quotas,
//! possession, searching and garbage collection.
//!
//! Who holds what: each thread may have a thread keyring and a
//! request-key default; each process (thread group) a process keyring
//! and a session keyring; each uid a user keyring and a user-session
//! keyring. Tasks that never touched a key have no entry. A key lives
//! while it can be reached from one of these through keyring links; the
//! collector ([`Store::collect`]) frees the rest after every operation
//! and gives their quota back, and unlinks keys revoked or expired
//! `gc_delay` seconds ago.

use crate::key::{Key, KeyType, Payload, State};
use crate::limits::Limits;
use crate::perm::{self, SEARCH};
use crate::{Error, Result, Serial};
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

/// How deep searches follow nested keyrings (KEYRING_SEARCH_MAX_DEPTH).
pub const MAX_DEPTH: usize = 6;

/// Quota bytes a keyring is charged per link (KEYQUOTA_LINK_BYTES).
pub const LINK_BYTES: u64 = 4;

/// Who asks, as the key rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub pid: u32,
    pub tid: u32,
    /// Real ids: owners of the keyrings made for the task, and whose user
    /// keyrings KEY_SPEC_USER_KEYRING names.
    pub uid: u32,
    pub gid: u32,
    /// File-system ids: owners of keys add_key makes; permission checks.
    pub fsuid: u32,
    pub fsgid: u32,
    pub groups: Vec<u32>,
    /// CAP_SYS_ADMIN: chown of keys, setperm of another's key.
    pub sys_admin: bool,
    /// Realtime clock, seconds (expiry times are on it).
    pub now: u64,
    /// The parent process, if KEYCTL_SESSION_TO_PARENT may replace its
    /// session keyring (same ids, not init); the kernel decides.
    pub parent: Option<u32>,
}

impl Caller {
    /// Root with every id 0 (tests).
    pub fn root(pid: u32, now: u64) -> Caller {
        Caller {
            pid,
            tid: pid,
            uid: 0,
            gid: 0,
            fsuid: 0,
            fsgid: 0,
            groups: Vec::new(),
            sys_admin: true,
            now,
            parent: None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThreadKeys {
    pub thread: Option<Serial>,
    /// KEYCTL_SET_REQKEY_KEYRING's choice (`reqkey::*`).
    pub reqkey_default: i32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProcessKeys {
    pub process: Option<Serial>,
    pub session: Option<Serial>,
}

/// What one user owns, charged against its quota.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub keys: u64,
    pub bytes: u64,
}

/// What a search found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Key(Serial),
    /// A match that cannot be used (revoked, expired, negative, not
    /// searchable): the error it gives.
    Unusable(Error),
    /// No match at all (Linux's internal EAGAIN).
    Nothing,
}

/// What a search looks for.
#[derive(Debug, Clone, Copy)]
pub enum Match<'a> {
    Index(KeyType, &'a str),
    Serial(Serial),
}

impl Match<'_> {
    fn matches(&self, k: &Key) -> bool {
        match *self {
            Match::Index(t, d) => k.ktype == t && k.description == d,
            Match::Serial(s) => k.serial == s,
        }
    }
}

/// How `lookup` treats the key it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lookup {
    /// Create a missing special keyring (KEY_LOOKUP_CREATE).
    pub create: bool,
    /// Accept a negative key (KEY_LOOKUP_PARTIAL).
    pub partial: bool,
    /// Permission bits needed; None: no check and no state check (unlink).
    pub need: Option<u32>,
}

impl Lookup {
    pub const fn need(need: u32) -> Lookup {
        Lookup { create: false, partial: false, need: Some(need) }
    }
    pub const fn create(self) -> Lookup {
        Lookup { create: true, ..self }
    }
    pub const fn partial(self) -> Lookup {
        Lookup { partial: true, ..self }
    }
}

pub struct Store {
    pub(crate) keys: BTreeMap<Serial, Key>,
    pub(crate) users: BTreeMap<u32, Usage>,
    /// uid → (user keyring, user-session keyring).
    pub(crate) user_keyrings: BTreeMap<u32, (Serial, Serial)>,
    pub(crate) threads: BTreeMap<u32, ThreadKeys>,
    pub(crate) processes: BTreeMap<u32, ProcessKeys>,
    pub limits: Limits,
    rng: u64,
}

impl Default for Store {
    fn default() -> Self {
        Store::new()
    }
}

impl Store {
    pub const fn new() -> Store {
        Store {
            keys: BTreeMap::new(),
            users: BTreeMap::new(),
            user_keyrings: BTreeMap::new(),
            threads: BTreeMap::new(),
            processes: BTreeMap::new(),
            limits: Limits::LINUX,
            rng: 0x9e37_79b9_7f4a_7c15,
        }
    }

    /// Serial numbers are spread over 3..2^31 as Linux's random ones are;
    /// the kernel seeds them once from its entropy.
    pub fn seed(&mut self, seed: u64) {
        self.rng = seed | 1;
    }

    pub fn key(&self, serial: Serial) -> Option<&Key> {
        self.keys.get(&serial)
    }

    /// The key, or ENOKEY (never a panic, whatever state a bug left).
    pub(crate) fn get(&self, serial: Serial) -> Result<&Key> {
        self.keys.get(&serial).ok_or(Error::NoKey)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn usage(&self, uid: u32) -> Usage {
        self.users.get(&uid).copied().unwrap_or_default()
    }

    pub fn serials(&self) -> impl Iterator<Item = Serial> + '_ {
        self.keys.keys().copied()
    }

    pub fn thread_keys(&self, tid: u32) -> ThreadKeys {
        self.threads.get(&tid).copied().unwrap_or_default()
    }

    pub fn process_keys(&self, pid: u32) -> ProcessKeys {
        self.processes.get(&pid).copied().unwrap_or_default()
    }

    fn next_serial(&mut self) -> Serial {
        loop {
            // xorshift64*
            let mut x = self.rng;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.rng = x;
            let s = ((x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) & 0x7fff_ffff) as Serial;
            if s >= 3 && !self.keys.contains_key(&s) {
                return s;
            }
        }
    }

    // ---- quotas ----

    /// Charges `keys` keys and `bytes` bytes to `uid`; past the quota is
    /// EDQUOT unless `overrun` (keyrings the kernel makes for a task).
    fn charge(&mut self, uid: u32, keys: u64, bytes: u64, overrun: bool) -> Result<()> {
        let (max_keys, max_bytes) = self.limits.quota_for(uid);
        let u = self.users.entry(uid).or_default();
        let (nk, nb) = (u.keys.saturating_add(keys), u.bytes.saturating_add(bytes));
        if !overrun && ((keys > 0 && nk > max_keys) || (bytes > 0 && nb > max_bytes)) {
            return Err(Error::Quota);
        }
        u.keys = nk;
        u.bytes = nb;
        Ok(())
    }

    fn refund(&mut self, uid: u32, keys: u64, bytes: u64) {
        if let Some(u) = self.users.get_mut(&uid) {
            u.keys = u.keys.saturating_sub(keys);
            u.bytes = u.bytes.saturating_sub(bytes);
            if *u == Usage::default() {
                self.users.remove(&uid);
            }
        }
    }

    /// A new key, charged to `uid`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn allocate(
        &mut self,
        ktype: KeyType,
        description: &str,
        uid: u32,
        gid: u32,
        perm: u32,
        payload: Vec<u8>,
        overrun: bool,
    ) -> Result<Serial> {
        let bytes = description.len() as u64 + 1 + payload.len() as u64;
        self.charge(uid, 1, bytes, overrun)?;
        let serial = self.next_serial();
        let payload = if ktype == KeyType::Keyring { Payload::Links(Vec::new()) } else { Payload::Data(payload) };
        self.keys.insert(
            serial,
            Key {
                serial,
                ktype,
                description: String::from(description),
                uid,
                gid,
                perm,
                payload,
                state: State::Positive,
                expiry: 0,
                quota_bytes: bytes,
                in_quota: true,
                restricted: false,
            },
        );
        Ok(serial)
    }

    /// Replaces a key's payload (update), charging the difference.
    pub(crate) fn set_payload(&mut self, serial: Serial, data: Vec<u8>) -> Result<()> {
        let (uid, old) = match self.keys.get(&serial) {
            Some(k) => (
                k.uid,
                match &k.payload {
                    Payload::Data(d) => d.len() as u64,
                    Payload::Links(_) => 0,
                },
            ),
            None => return Err(Error::NoKey),
        };
        let new = data.len() as u64;
        if new > old {
            self.charge(uid, 0, new - old, false)?;
        } else {
            self.refund(uid, 0, old - new);
        }
        if let Some(k) = self.keys.get_mut(&serial) {
            k.quota_bytes = (k.quota_bytes + new).saturating_sub(old);
            k.payload = Payload::Data(data);
            if matches!(k.state, State::Negative(_)) {
                k.state = State::Positive;
                k.expiry = 0;
            }
        }
        Ok(())
    }

    /// Moves a key's quota charge to `uid` (KEYCTL_CHOWN).
    pub(crate) fn transfer(&mut self, serial: Serial, uid: u32) -> Result<()> {
        let Some(k) = self.keys.get(&serial) else { return Err(Error::NoKey) };
        let (old, bytes) = (k.uid, k.quota_bytes);
        if old == uid {
            return Ok(());
        }
        self.charge(uid, 1, bytes, false)?;
        self.refund(old, 1, bytes);
        if let Some(k) = self.keys.get_mut(&serial) {
            k.uid = uid;
        }
        Ok(())
    }

    // ---- links ----

    /// Whether `target` can be reached from `from` through keyring links
    /// (`from` itself included).
    fn reaches(&self, from: Serial, target: Serial) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = alloc::vec![from];
        while let Some(s) = stack.pop() {
            if s == target {
                return true;
            }
            if !seen.insert(s) {
                continue;
            }
            if let Some(k) = self.keys.get(&s) {
                stack.extend(k.links().iter().copied().filter(|l| self.keys.get(l).is_some_and(Key::is_keyring)));
            }
        }
        false
    }

    /// The link in `keyring` with the same type and description as `key`.
    fn same_index(&self, keyring: Serial, key: Serial) -> Option<Serial> {
        let k = self.keys.get(&key)?;
        self.keys
            .get(&keyring)?
            .links()
            .iter()
            .copied()
            .find(|l| self.keys.get(l).is_some_and(|o| o.ktype == k.ktype && o.description == k.description))
    }

    /// Links `key` into `keyring`, replacing a link to a key of the same
    /// type and description (Linux's `key_link`).
    pub(crate) fn link(&mut self, keyring: Serial, key: Serial) -> Result<()> {
        let ring = self.keys.get(&keyring).ok_or(Error::NoKey)?;
        if !ring.is_keyring() {
            return Err(Error::NotKeyring);
        }
        if ring.restricted {
            return Err(Error::NotPermitted);
        }
        let owner = ring.uid;
        let k = self.keys.get(&key).ok_or(Error::NoKey)?;
        if k.is_keyring() && self.reaches(key, keyring) {
            return Err(Error::Deadlock);
        }
        match self.same_index(keyring, key) {
            Some(old) if old == key => Ok(()),
            Some(old) => {
                if let Some(Key { payload: Payload::Links(l), .. }) = self.keys.get_mut(&keyring) {
                    for s in l.iter_mut().filter(|s| **s == old) {
                        *s = key;
                    }
                }
                Ok(())
            }
            None => {
                self.charge(owner, 0, LINK_BYTES, false)?;
                if let Some(r) = self.keys.get_mut(&keyring) {
                    r.quota_bytes += LINK_BYTES;
                    if let Payload::Links(l) = &mut r.payload {
                        l.push(key);
                    }
                }
                Ok(())
            }
        }
    }

    /// Removes `key` from `keyring` (ENOENT if it is not there).
    pub(crate) fn unlink(&mut self, keyring: Serial, key: Serial) -> Result<()> {
        let ring = self.keys.get_mut(&keyring).ok_or(Error::NoKey)?;
        let owner = ring.uid;
        let Payload::Links(l) = &mut ring.payload else { return Err(Error::NotKeyring) };
        let before = l.len();
        l.retain(|s| *s != key);
        if l.len() == before {
            return Err(Error::NotFound);
        }
        ring.quota_bytes = ring.quota_bytes.saturating_sub(LINK_BYTES);
        self.refund(owner, 0, LINK_BYTES);
        Ok(())
    }

    /// Unlinks everything from `keyring` (KEYCTL_CLEAR).
    pub(crate) fn clear(&mut self, keyring: Serial) -> Result<()> {
        let ring = self.keys.get_mut(&keyring).ok_or(Error::NoKey)?;
        if ring.restricted {
            return Err(Error::NotPermitted);
        }
        let owner = ring.uid;
        let Payload::Links(l) = &mut ring.payload else { return Err(Error::NotKeyring) };
        let n = l.len() as u64;
        l.clear();
        ring.quota_bytes = ring.quota_bytes.saturating_sub(n * LINK_BYTES);
        self.refund(owner, 0, n * LINK_BYTES);
        Ok(())
    }

    // ---- the keyrings of tasks and users ----

    /// The uid's user and user-session keyrings, made on first use (the
    /// user-session keyring links the user keyring, as on Linux).
    pub(crate) fn user_keyrings(&mut self, uid: u32) -> Result<(Serial, Serial)> {
        if let Some(&pair) = self.user_keyrings.get(&uid) {
            return Ok(pair);
        }
        // Everything but SETATTR for the possessor (Linux 5.3's
        // user_keyring_perm), everything for the owner.
        let perm = ((perm::ALL & !perm::SETATTR) << perm::POSSESSOR) | (perm::ALL << perm::USER);
        let user =
            self.allocate(KeyType::Keyring, &alloc::format!("_uid.{uid}"), uid, u32::MAX, perm, Vec::new(), false)?;
        let session = match self.allocate(
            KeyType::Keyring,
            &alloc::format!("_uid_ses.{uid}"),
            uid,
            u32::MAX,
            perm,
            Vec::new(),
            false,
        ) {
            Ok(s) => s,
            Err(e) => {
                self.destroy(user);
                return Err(e);
            }
        };
        self.user_keyrings.insert(uid, (user, session));
        // Cannot fail for quota: both keyrings are new and the link is the
        // first; if it did, the user-session keyring would only be empty.
        let _ = self.link(session, user);
        Ok((user, session))
    }

    /// A keyring the kernel makes for a task: may pass the quota.
    pub(crate) fn task_keyring(&mut self, caller: &Caller, name: &str, perm: u32, overrun: bool) -> Result<Serial> {
        self.allocate(KeyType::Keyring, name, caller.uid, caller.gid, perm, Vec::new(), overrun)
    }

    pub(crate) fn install_thread_keyring(&mut self, caller: &Caller) -> Result<Serial> {
        if let Some(s) = self.thread_keys(caller.tid).thread {
            return Ok(s);
        }
        let s = self.task_keyring(caller, "_tid", (perm::ALL << perm::POSSESSOR) | (perm::VIEW << perm::USER), true)?;
        self.threads.entry(caller.tid).or_default().thread = Some(s);
        Ok(s)
    }

    pub(crate) fn install_process_keyring(&mut self, caller: &Caller) -> Result<Serial> {
        if let Some(s) = self.process_keys(caller.pid).process {
            return Ok(s);
        }
        let s = self.task_keyring(caller, "_pid", (perm::ALL << perm::POSSESSOR) | (perm::VIEW << perm::USER), true)?;
        self.processes.entry(caller.pid).or_default().process = Some(s);
        Ok(s)
    }

    pub(crate) fn set_session(&mut self, pid: u32, session: Serial) {
        self.processes.entry(pid).or_default().session = Some(session);
    }

    /// The keyrings a search of the caller's own keyrings starts from, in
    /// Linux's order: thread, process, then session (or, without one, the
    /// user-session keyring).
    pub(crate) fn search_roots(&mut self, caller: &Caller) -> Vec<Serial> {
        let t = self.thread_keys(caller.tid);
        let p = self.process_keys(caller.pid);
        let mut roots: Vec<Serial> = t.thread.into_iter().chain(p.process).collect();
        match p.session {
            Some(s) => roots.push(s),
            None => {
                if let Ok((_, us)) = self.user_keyrings(caller.uid) {
                    roots.push(us);
                }
            }
        }
        roots
    }

    // ---- searching ----

    /// Linux's `keyring_search_rcu` from one keyring: the keyring itself,
    /// then its links, then nested keyrings up to MAX_DEPTH deep, each
    /// searchable by the caller. With `state_check`, revoked, expired and
    /// negative matches are skipped and remembered (the last one's error
    /// is the answer when nothing better is found).
    pub fn search_keyring(
        &self,
        caller: &Caller,
        top: Serial,
        possessed: bool,
        m: Match<'_>,
        state_check: bool,
    ) -> Found {
        let Some(ring) = self.keys.get(&top) else { return Found::Nothing };
        if perm::check(ring, possessed, caller, SEARCH).is_err() {
            return Found::Unusable(Error::Access);
        }
        let mut result = Found::Nothing;
        if m.matches(ring) {
            match self.leaf(caller, ring, possessed, state_check) {
                Ok(()) => return Found::Key(top),
                Err(e) => result = Found::Unusable(e),
            }
        }
        let mut seen = BTreeSet::new();
        seen.insert(top);
        let mut stack = alloc::vec![(top, 0usize)];
        while let Some((ring, depth)) = stack.pop() {
            let links = self.keys.get(&ring).map(Key::links).unwrap_or(&[]);
            for k in links.iter().filter_map(|s| self.keys.get(s)) {
                if m.matches(k) {
                    match self.leaf(caller, k, possessed, state_check) {
                        Ok(()) => return Found::Key(k.serial),
                        Err(e) => result = Found::Unusable(e),
                    }
                }
            }
            if depth + 1 >= MAX_DEPTH {
                continue;
            }
            for k in links.iter().rev().filter_map(|s| self.keys.get(s)) {
                if k.is_keyring()
                    && k.validate(caller.now).is_ok()
                    && perm::check(k, possessed, caller, SEARCH).is_ok()
                    && seen.insert(k.serial)
                {
                    stack.push((k.serial, depth + 1));
                }
            }
        }
        result
    }

    /// Whether a matching key may be returned by a search.
    fn leaf(&self, caller: &Caller, k: &Key, possessed: bool, state_check: bool) -> Result<()> {
        if state_check {
            k.validate(caller.now)?;
        }
        perm::check(k, possessed, caller, SEARCH)?;
        if state_check {
            k.instantiated()?;
        }
        Ok(())
    }

    /// Linux's `search_cred_keyrings_rcu`: the caller's keyrings in order;
    /// the first usable match wins; otherwise "nothing" or a negative key
    /// from any keyring is preferred over the other errors.
    pub fn search_own_keyrings(&mut self, caller: &Caller, m: Match<'_>, state_check: bool) -> Found {
        let mut ret: Option<Found> = None;
        let mut err = Found::Nothing;
        for root in self.search_roots(caller) {
            match self.search_keyring(caller, root, true, m, state_check) {
                Found::Key(s) => return Found::Key(s),
                // "Nothing" does not hide a negative key found earlier.
                Found::Nothing if ret.is_some() => {}
                f @ (Found::Nothing | Found::Unusable(Error::NoKey)) => ret = Some(f),
                f => err = f,
            }
        }
        ret.unwrap_or(err)
    }

    /// Whether the caller possesses `serial`: it can be found by searching
    /// the caller's own keyrings (with no state check).
    pub fn possesses(&mut self, caller: &Caller, serial: Serial) -> bool {
        matches!(self.search_own_keyrings(caller, Match::Serial(serial), false), Found::Key(_))
    }

    // ---- looking up by id ----

    /// Linux's `lookup_user_key`: a special id or a serial number to a key
    /// (and whether the caller possesses it), checked as `how` says.
    pub fn lookup(&mut self, caller: &Caller, id: Serial, how: Lookup) -> Result<(Serial, bool)> {
        use crate::special::*;
        let (serial, possessed) = match id {
            THREAD => match self.thread_keys(caller.tid).thread {
                Some(s) => (s, true),
                None if how.create => (self.install_thread_keyring(caller)?, true),
                None => return Err(Error::NoKey),
            },
            PROCESS => match self.process_keys(caller.pid).process {
                Some(s) => (s, true),
                None if how.create => (self.install_process_keyring(caller)?, true),
                None => return Err(Error::NoKey),
            },
            SESSION => match self.process_keys(caller.pid).session {
                Some(s) => (s, true),
                None => {
                    // Always install a session keyring when one is asked
                    // for: a new one to create, else the user-session one.
                    let (_, us) = self.user_keyrings(caller.uid)?;
                    let s = if how.create { self.new_session(caller)? } else { us };
                    self.set_session(caller.pid, s);
                    (s, true)
                }
            },
            USER => (self.user_keyrings(caller.uid)?.0, true),
            USER_SESSION => (self.user_keyrings(caller.uid)?.1, true),
            REQKEY_AUTH | REQUESTOR => return Err(Error::NoKey),
            id if id < 1 => return Err(Error::Invalid),
            id => {
                if !self.keys.contains_key(&id) {
                    return Err(Error::NoKey);
                }
                (id, self.possesses(caller, id))
            }
        };
        let Some(need) = how.need else { return Ok((serial, possessed)) };
        let key = self.keys.get(&serial).ok_or(Error::NoKey)?;
        if !how.partial {
            key.instantiated()?;
        }
        key.validate(caller.now)?;
        if need != 0 {
            perm::check(key, possessed, caller, need)?;
        }
        Ok((serial, possessed))
    }

    /// A new anonymous session keyring ("_ses").
    pub(crate) fn new_session(&mut self, caller: &Caller) -> Result<Serial> {
        self.task_keyring(
            caller,
            "_ses",
            (perm::ALL << perm::POSSESSOR) | ((perm::VIEW | perm::READ) << perm::USER),
            true,
        )
    }

    // ---- tasks coming and going ----

    /// A new thread or process: a new thread gets its own thread keyring
    /// if its creator had one, and the creator's request-key default; a
    /// new process shares the session keyring but not the process
    /// keyring, as Linux's copy_creds.
    pub fn cloned(&mut self, parent: &Caller, child_pid: u32, child_tid: u32, thread: bool) {
        let t = self.thread_keys(parent.tid);
        let p = self.process_keys(parent.pid);
        if t == ThreadKeys::default() && p == ProcessKeys::default() {
            return;
        }
        if t != ThreadKeys::default() {
            self.threads.insert(child_tid, ThreadKeys { thread: None, reqkey_default: t.reqkey_default });
            if t.thread.is_some() && thread {
                let child = Caller { pid: child_pid, tid: child_tid, ..parent.clone() };
                let _ = self.install_thread_keyring(&child);
            }
        }
        if !thread && p.session.is_some() {
            self.processes.insert(child_pid, ProcessKeys { process: None, session: p.session });
        }
        self.collect(parent.now);
    }

    /// exec: the thread and process keyrings go, the session stays.
    pub fn exec(&mut self, pid: u32, tid: u32, now: u64) {
        if let Some(t) = self.threads.get_mut(&tid) {
            t.thread = None;
        }
        if let Some(p) = self.processes.get_mut(&pid) {
            p.process = None;
        }
        self.collect(now);
    }

    pub fn thread_exited(&mut self, tid: u32, now: u64) {
        if self.threads.remove(&tid).is_some() {
            self.collect(now);
        }
    }

    pub fn process_exited(&mut self, pid: u32, now: u64) {
        if self.processes.remove(&pid).is_some() {
            self.collect(now);
        }
    }

    // ---- garbage collection ----

    fn destroy(&mut self, serial: Serial) {
        if let Some(k) = self.keys.remove(&serial) {
            if k.in_quota {
                self.refund(k.uid, 1, k.quota_bytes);
            }
        }
    }

    /// Unlinks dead keys (revoked or expired `gc_delay` ago, or gone),
    /// then frees every key no task or user can reach.
    pub fn collect(&mut self, now: u64) {
        let gc_delay = self.limits.gc_delay;
        let dead: BTreeSet<Serial> =
            self.keys.values().filter(|k| k.is_dead(now, gc_delay)).map(|k| k.serial).collect();
        let rings: Vec<Serial> = self
            .keys
            .values()
            .filter(|k| k.links().iter().any(|l| dead.contains(l) || !self.keys.contains_key(l)))
            .map(|k| k.serial)
            .collect();
        for r in rings {
            let gone: Vec<Serial> = self
                .keys
                .get(&r)
                .map(Key::links)
                .unwrap_or(&[])
                .iter()
                .copied()
                .filter(|l| dead.contains(l) || !self.keys.contains_key(l))
                .collect();
            for g in gone {
                let _ = self.unlink(r, g);
            }
        }
        let mut live = BTreeSet::new();
        let mut stack: Vec<Serial> = self
            .user_keyrings
            .values()
            .flat_map(|&(a, b)| [a, b])
            .chain(self.threads.values().filter_map(|t| t.thread))
            .chain(self.processes.values().flat_map(|p| p.process.into_iter().chain(p.session)))
            .collect();
        while let Some(s) = stack.pop() {
            if live.insert(s) {
                if let Some(k) = self.keys.get(&s) {
                    stack.extend_from_slice(k.links());
                }
            }
        }
        let unreachable: Vec<Serial> = self.keys.keys().copied().filter(|s| !live.contains(s)).collect();
        for s in unreachable {
            self.destroy(s);
        }
        // A task's keyring that has been freed (it cannot be: it is a
        // root) would leave a dangling id; drop such ids all the same.
        let keys = &self.keys;
        self.threads.retain(|_, t| {
            t.thread = t.thread.filter(|s| keys.contains_key(s));
            *t != ThreadKeys::default()
        });
        self.processes.retain(|_, p| {
            p.process = p.process.filter(|s| keys.contains_key(s));
            p.session = p.session.filter(|s| keys.contains_key(s));
            *p != ProcessKeys::default()
        });
    }
}
