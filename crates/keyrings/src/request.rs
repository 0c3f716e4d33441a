//! add_key, request_key and the keyctl operations, after the personality
//! has copied their strings and payloads in: Linux's rules and the order
//! in which it checks them (see security/keys/keyctl.c).

use crate::key::{KeyType, State, NEGATIVE_TIMEOUT};
use crate::perm::{self, LINK, READ, SEARCH, SETATTR, VIEW, WRITE};
use crate::store::{Caller, Found, Lookup, Match, Store};
use crate::{reqkey, special, Error, Result, Serial};
use alloc::string::String;
use alloc::vec::Vec;

/// One operation; strings are already checked for length and the '.'
/// rule of types (the personality's part, as it copies them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// add_key: `description` None when it was NULL or empty.
    Add {
        ktype: String,
        description: Option<String>,
        payload: Vec<u8>,
        keyring: Serial,
    },
    /// request_key: `callout` None when it was NULL; `dest` 0 for none.
    RequestKey {
        ktype: String,
        description: String,
        callout: Option<Vec<u8>>,
        dest: Serial,
    },
    GetKeyringId {
        id: Serial,
        create: bool,
    },
    /// None: a new anonymous session keyring.
    JoinSession {
        name: Option<String>,
    },
    Update {
        id: Serial,
        payload: Vec<u8>,
    },
    Revoke(Serial),
    /// u32::MAX: leave as is.
    Chown {
        id: Serial,
        uid: u32,
        gid: u32,
    },
    SetPerm {
        id: Serial,
        perm: u32,
    },
    Describe(Serial),
    Clear(Serial),
    Link {
        id: Serial,
        keyring: Serial,
    },
    Unlink {
        id: Serial,
        keyring: Serial,
    },
    Move {
        id: Serial,
        from: Serial,
        to: Serial,
        exclusive: bool,
    },
    Search {
        keyring: Serial,
        ktype: String,
        description: String,
        dest: Serial,
    },
    Read(Serial),
    SetReqkeyKeyring(i32),
    SetTimeout {
        id: Serial,
        seconds: u32,
    },
    Invalidate(Serial),
    GetSecurity(Serial),
    SessionToParent,
    /// `ktype` None: forbid every further link.
    Restrict {
        id: Serial,
        ktype: Option<String>,
        restriction: Option<String>,
    },
    AssumeAuthority(Serial),
    /// KEYCTL_INSTANTIATE/NEGATE/REJECT/INSTANTIATE_IOV: only a request-key
    /// helper holding the authority may, and there is none here.
    Instantiate(Serial),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Value(i64),
    /// The whole answer of READ, DESCRIBE, GET_SECURITY (the caller copies
    /// it out only if the buffer holds all of it) and the length to return.
    Data(Vec<u8>),
}

fn value(s: Serial) -> Result<Reply> {
    Ok(Reply::Value(i64::from(s)))
}

impl Store {
    /// Carries out one request for `caller`, then collects garbage.
    pub fn execute(&mut self, caller: &Caller, request: Request) -> Result<Reply> {
        let r = self.dispatch(caller, request);
        self.collect(caller.now);
        r
    }

    fn dispatch(&mut self, caller: &Caller, request: Request) -> Result<Reply> {
        match request {
            Request::Add { ktype, description, payload, keyring } => {
                self.add_key(caller, &ktype, description.as_deref(), payload, keyring).and_then(value)
            }
            Request::RequestKey { ktype, description, callout, dest } => {
                self.request_key(caller, &ktype, &description, callout.is_some(), dest).and_then(value)
            }
            Request::GetKeyringId { id, create } => {
                let how = if create { Lookup::need(SEARCH).create() } else { Lookup::need(SEARCH) };
                value(self.lookup(caller, id, how)?.0)
            }
            Request::JoinSession { name } => self.join_session(caller, name.as_deref()).and_then(value),
            Request::Update { id, payload } => {
                let (key, _) = self.lookup(caller, id, Lookup::need(WRITE).create())?;
                let ktype = self.get(key)?.ktype;
                if !ktype.updatable() {
                    return Err(Error::NotSupported);
                }
                ktype.check(&self.get(key)?.description, &payload)?;
                self.set_payload(key, payload)?;
                Ok(Reply::Value(0))
            }
            Request::Revoke(id) => {
                let key = match self.lookup(caller, id, Lookup::need(WRITE)) {
                    Err(Error::Access) => self.lookup(caller, id, Lookup::need(SETATTR))?.0,
                    r => r?.0,
                };
                if let Some(k) = self.keys.get_mut(&key) {
                    k.state = State::Revoked(caller.now);
                }
                Ok(Reply::Value(0))
            }
            Request::Chown { id, uid, gid } => self.chown(caller, id, uid, gid),
            Request::SetPerm { id, perm: bits } => {
                if bits & !perm::VALID != 0 {
                    return Err(Error::Invalid);
                }
                let (key, _) = self.lookup(caller, id, Lookup::need(SETATTR).create().partial())?;
                let k = self.keys.get_mut(&key).ok_or(Error::NoKey)?;
                if !caller.sys_admin && k.uid != caller.fsuid {
                    return Err(Error::Access);
                }
                k.perm = bits;
                Ok(Reply::Value(0))
            }
            Request::Describe(id) => {
                let (key, _) = self.lookup(caller, id, Lookup::need(VIEW).partial())?;
                let mut text = self.get(key)?.describe().into_bytes();
                text.push(0);
                Ok(Reply::Data(text))
            }
            Request::Clear(id) => {
                let (ring, _) = self.lookup(caller, id, Lookup::need(WRITE).create())?;
                self.clear(ring)?;
                Ok(Reply::Value(0))
            }
            Request::Link { id, keyring } => {
                let (ring, _) = self.lookup(caller, keyring, Lookup::need(WRITE).create())?;
                let (key, _) = self.lookup(caller, id, Lookup::need(LINK).create().partial())?;
                self.link(ring, key)?;
                Ok(Reply::Value(0))
            }
            Request::Unlink { id, keyring } => {
                let (ring, _) = self.lookup(caller, keyring, Lookup::need(WRITE))?;
                let (key, _) = self.lookup(caller, id, Lookup { create: false, partial: true, need: None })?;
                if !self.get(ring)?.is_keyring() {
                    return Err(Error::NotKeyring);
                }
                self.unlink(ring, key)?;
                Ok(Reply::Value(0))
            }
            Request::Move { id, from, to, exclusive } => {
                let (key, _) = self.lookup(caller, id, Lookup::need(LINK).partial())?;
                let (from, _) = self.lookup(caller, from, Lookup::need(WRITE))?;
                let (to, _) = self.lookup(caller, to, Lookup::need(WRITE).create())?;
                if !self.get(from)?.is_keyring() || !self.get(to)?.is_keyring() {
                    return Err(Error::NotKeyring);
                }
                if !self.get(from)?.links().contains(&key) {
                    return Err(Error::NotFound);
                }
                if from == to {
                    return Ok(Reply::Value(0));
                }
                let k = self.get(key)?;
                let clash = self.get(to)?.links().iter().any(|l| {
                    *l != key && self.keys.get(l).is_some_and(|o| o.ktype == k.ktype && o.description == k.description)
                });
                if exclusive && clash {
                    return Err(Error::Exists);
                }
                self.link(to, key)?;
                self.unlink(from, key)?;
                Ok(Reply::Value(0))
            }
            Request::Search { keyring, ktype, description, dest } => {
                let (ring, possessed) = self.lookup(caller, keyring, Lookup::need(SEARCH))?;
                let dest =
                    if dest != 0 { Some(self.lookup(caller, dest, Lookup::need(WRITE).create())?.0) } else { None };
                let ktype = KeyType::from_name(&ktype).ok_or(Error::NoKey)?;
                let key = match self.search_keyring(caller, ring, possessed, Match::Index(ktype, &description), true) {
                    Found::Key(k) => k,
                    Found::Unusable(e) => return Err(e),
                    Found::Nothing => return Err(Error::NoKey),
                };
                if let Some(dest) = dest {
                    perm::check(self.get(key)?, possessed, caller, LINK)?;
                    self.link(dest, key)?;
                }
                value(key)
            }
            Request::Read(id) => self.read(caller, id),
            Request::SetReqkeyKeyring(which) => self.set_reqkey(caller, which),
            Request::SetTimeout { id, seconds } => {
                let (key, _) = self.lookup(caller, id, Lookup::need(SETATTR).create().partial())?;
                if let Some(k) = self.keys.get_mut(&key) {
                    k.expiry = if seconds == 0 { 0 } else { caller.now.saturating_add(u64::from(seconds)) };
                }
                Ok(Reply::Value(0))
            }
            Request::Invalidate(id) => {
                let (key, _) = self.lookup(caller, id, Lookup::need(SEARCH))?;
                self.invalidate(key);
                Ok(Reply::Value(0))
            }
            Request::GetSecurity(id) => {
                self.lookup(caller, id, Lookup::need(VIEW).partial())?;
                // No security module labels keys: the label is "".
                Ok(Reply::Data(alloc::vec![0]))
            }
            Request::SessionToParent => {
                let (session, _) = self.lookup(caller, special::SESSION, Lookup::need(LINK))?;
                let parent = caller.parent.ok_or(Error::NotPermitted)?;
                // Both session keyrings must belong to the caller.
                let theirs = self.process_keys(parent).session.and_then(|s| self.keys.get(&s)).map(|k| k.uid);
                if self.get(session)?.uid != caller.fsuid || theirs.is_some_and(|uid| uid != caller.fsuid) {
                    return Err(Error::NotPermitted);
                }
                self.set_session(parent, session);
                Ok(Reply::Value(0))
            }
            Request::Restrict { id, ktype, restriction } => {
                if ktype.is_none() && restriction.is_some() {
                    return Err(Error::Invalid);
                }
                let (ring, _) = self.lookup(caller, id, Lookup::need(SETATTR))?;
                let k = self.keys.get_mut(&ring).ok_or(Error::NoKey)?;
                if !k.is_keyring() {
                    return Err(Error::NotKeyring);
                }
                if ktype.is_some() {
                    // None of this kernel's types offers a restriction
                    // scheme (Linux's lookup_restriction): EINVAL, as
                    // Linux answers for "user" or "keyring".
                    return Err(Error::Invalid);
                }
                if k.restricted {
                    return Err(Error::Exists);
                }
                k.restricted = true;
                Ok(Reply::Value(0))
            }
            Request::AssumeAuthority(id) => match id {
                0 => Ok(Reply::Value(0)),
                id if id < 0 => Err(Error::Invalid),
                _ => Err(Error::NoKey),
            },
            Request::Instantiate(_) => Err(Error::NotPermitted),
        }
    }

    fn add_key(
        &mut self,
        caller: &Caller,
        ktype: &str,
        description: Option<&str>,
        payload: Vec<u8>,
        keyring: Serial,
    ) -> Result<Serial> {
        if keyring == 0 {
            return Err(Error::Invalid);
        }
        let (ring, ring_possessed) = self.lookup(caller, keyring, Lookup::need(WRITE).create())?;
        let ktype = KeyType::from_name(ktype).ok_or(Error::NoType)?;
        let description = description.ok_or(Error::Invalid)?;
        ktype.check(description, &payload)?;
        if !self.get(ring)?.is_keyring() {
            return Err(Error::NotKeyring);
        }
        // An existing key of an updatable type is updated in place.
        if ktype.updatable() {
            let existing = self.get(ring)?.links().iter().copied().find(|l| {
                self.keys.get(l).is_some_and(|k| k.ktype == ktype && k.description == description && !k.is_revoked())
            });
            if let Some(key) = existing {
                perm::check(self.get(key)?, ring_possessed, caller, WRITE)?;
                self.set_payload(key, payload)?;
                return Ok(key);
            }
        }
        let key =
            self.allocate(ktype, description, caller.fsuid, caller.fsgid, ktype.default_perm(), payload, false)?;
        if let Err(e) = self.link(ring, key) {
            self.collect(caller.now);
            return Err(e);
        }
        Ok(key)
    }

    fn request_key(
        &mut self,
        caller: &Caller,
        ktype: &str,
        description: &str,
        callout: bool,
        dest: Serial,
    ) -> Result<Serial> {
        let dest = if dest != 0 { Some(self.lookup(caller, dest, Lookup::need(WRITE).create())?.0) } else { None };
        let ktype = KeyType::from_name(ktype).ok_or(Error::NoKey)?;
        match self.search_own_keyrings(caller, Match::Index(ktype, description), true) {
            Found::Key(key) => {
                if let Some(dest) = dest {
                    self.link(dest, key)?;
                }
                Ok(key)
            }
            Found::Unusable(e) => Err(e),
            Found::Nothing if !callout => Err(Error::NoKey),
            Found::Nothing => {
                // Construction: a key is made and linked where it belongs,
                // then /sbin/request-key would be run. There is none, so the
                // key is negated for NEGATIVE_TIMEOUT seconds and the caller
                // hears ENOENT, as from Linux without the helper.
                let dest = match dest {
                    Some(d) => d,
                    None => {
                        let d = self.default_destination(caller)?;
                        perm::check(self.get(d)?, true, caller, WRITE)?;
                        d
                    }
                };
                let key = self.allocate(
                    ktype,
                    description,
                    caller.fsuid,
                    caller.fsgid,
                    ktype.default_perm(),
                    Vec::new(),
                    false,
                )?;
                if let Some(k) = self.keys.get_mut(&key) {
                    k.state = State::Negative(Error::NoKey);
                    k.expiry = caller.now + NEGATIVE_TIMEOUT;
                    k.payload = if ktype == KeyType::Keyring {
                        crate::key::Payload::Links(Vec::new())
                    } else {
                        crate::key::Payload::Data(Vec::new())
                    };
                }
                self.link(dest, key)?;
                Err(Error::NotFound)
            }
        }
    }

    /// Where request_key puts a key it constructs when not told
    /// (KEYCTL_SET_REQKEY_KEYRING's choice; the default walks thread,
    /// process, session, user-session).
    fn default_destination(&mut self, caller: &Caller) -> Result<Serial> {
        let t = self.thread_keys(caller.tid);
        let p = self.process_keys(caller.pid);
        Ok(match t.reqkey_default {
            reqkey::THREAD => self.install_thread_keyring(caller)?,
            reqkey::PROCESS => self.install_process_keyring(caller)?,
            reqkey::SESSION => {
                self.lookup(caller, special::SESSION, Lookup { create: false, partial: true, need: None })?.0
            }
            reqkey::USER => self.user_keyrings(caller.uid)?.0,
            reqkey::USER_SESSION => self.user_keyrings(caller.uid)?.1,
            _ => match (t.thread, p.process, p.session) {
                (Some(s), _, _) | (None, Some(s), _) | (None, None, Some(s)) => s,
                (None, None, None) => self.user_keyrings(caller.uid)?.1,
            },
        })
    }

    fn set_reqkey(&mut self, caller: &Caller, which: i32) -> Result<Reply> {
        let old = self.thread_keys(caller.tid).reqkey_default;
        match which {
            reqkey::NO_CHANGE => return Ok(Reply::Value(i64::from(old))),
            reqkey::THREAD => {
                self.install_thread_keyring(caller)?;
            }
            reqkey::PROCESS => {
                self.install_process_keyring(caller)?;
            }
            reqkey::DEFAULT | reqkey::SESSION | reqkey::USER | reqkey::USER_SESSION | reqkey::REQUESTOR => {}
            _ => return Err(Error::Invalid),
        }
        self.threads.entry(caller.tid).or_default().reqkey_default = which;
        Ok(Reply::Value(i64::from(old)))
    }

    fn join_session(&mut self, caller: &Caller, name: Option<&str>) -> Result<Serial> {
        let session = match name {
            None => self.new_session(caller)?,
            Some(name) => {
                if name.starts_with('.') {
                    return Err(Error::NotPermitted);
                }
                // A keyring of that name the caller owns and may search is
                // joined; otherwise one is made.
                let found = self
                    .keys
                    .values()
                    .find(|k| {
                        k.is_keyring()
                            && k.description == name
                            && k.uid == caller.uid
                            && k.validate(caller.now).is_ok()
                            && perm::check(k, false, caller, SEARCH).is_ok()
                    })
                    .map(|k| k.serial);
                match found {
                    Some(s) => s,
                    None => {
                        let p = (perm::ALL << perm::POSSESSOR) | ((VIEW | READ | LINK) << perm::USER);
                        self.task_keyring(caller, name, p, false)?
                    }
                }
            }
        };
        self.set_session(caller.pid, session);
        Ok(session)
    }

    fn chown(&mut self, caller: &Caller, id: Serial, uid: u32, gid: u32) -> Result<Reply> {
        if uid == u32::MAX && gid == u32::MAX {
            return Ok(Reply::Value(0));
        }
        let (key, _) = self.lookup(caller, id, Lookup::need(SETATTR).create().partial())?;
        let k = self.get(key)?;
        if uid != u32::MAX && uid != k.uid && !caller.sys_admin {
            return Err(Error::Access);
        }
        if gid != u32::MAX && gid != k.gid && !caller.sys_admin && gid != caller.fsgid && !caller.groups.contains(&gid)
        {
            return Err(Error::Access);
        }
        if uid != u32::MAX {
            self.transfer(key, uid)?;
        }
        if gid != u32::MAX {
            if let Some(k) = self.keys.get_mut(&key) {
                k.gid = gid;
            }
        }
        Ok(Reply::Value(0))
    }

    fn read(&mut self, caller: &Caller, id: Serial) -> Result<Reply> {
        let (key, possessed) = self.lookup(caller, id, Lookup::need(0))?;
        let k = self.get(key)?;
        k.instantiated()?;
        // Without READ, a key the caller possesses is readable all the same
        // (possession already took SEARCH permission to find it).
        if perm::check(k, possessed, caller, READ).is_err() && !possessed {
            return Err(Error::Access);
        }
        if !k.ktype.readable() {
            return Err(Error::NotSupported);
        }
        Ok(Reply::Data(match &k.payload {
            crate::key::Payload::Data(d) => d.clone(),
            crate::key::Payload::Links(l) => {
                l.iter().filter(|s| self.keys.contains_key(s)).flat_map(|s| s.to_ne_bytes()).collect()
            }
        }))
    }

    /// KEYCTL_INVALIDATE: the key goes at once, from every keyring and
    /// every task that holds it.
    fn invalidate(&mut self, key: Serial) {
        let rings: Vec<Serial> = self.keys.values().filter(|k| k.links().contains(&key)).map(|k| k.serial).collect();
        for r in rings {
            let _ = self.unlink(r, key);
        }
        for t in self.threads.values_mut() {
            t.thread = t.thread.filter(|s| *s != key);
        }
        for p in self.processes.values_mut() {
            p.process = p.process.filter(|s| *s != key);
            p.session = p.session.filter(|s| *s != key);
        }
        self.user_keyrings.retain(|_, (a, b)| *a != key && *b != key);
    }
}
