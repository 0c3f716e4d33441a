//! The key store under scripted scenarios (the LTP cases it must pass)
//! and under random operation sequences from several users, checked for
//! its invariants after every step.

use keyrings::special::*;
use keyrings::store::Caller;
use keyrings::{Error, Reply, Request, Store};
use proptest::prelude::*;

fn root() -> Caller {
    Caller::root(100, 1000)
}

fn user(uid: u32) -> Caller {
    Caller {
        pid: 200 + uid,
        tid: 200 + uid,
        uid,
        gid: uid,
        fsuid: uid,
        fsgid: uid,
        groups: vec![],
        sys_admin: false,
        now: 1000,
        parent: None,
    }
}

fn id(r: keyrings::Result<Reply>) -> i32 {
    match r {
        Ok(Reply::Value(v)) => v as i32,
        other => panic!("{other:?}"),
    }
}

fn add(s: &mut Store, c: &Caller, t: &str, d: &str, p: &[u8], ring: i32) -> keyrings::Result<Reply> {
    s.execute(c, Request::Add { ktype: t.into(), description: Some(d.into()), payload: p.to_vec(), keyring: ring })
}

fn read(s: &mut Store, c: &Caller, k: i32) -> keyrings::Result<Vec<u8>> {
    match s.execute(c, Request::Read(k))? {
        Reply::Data(d) => Ok(d),
        r => panic!("{r:?}"),
    }
}

#[test]
fn add_read_update_revoke() {
    let mut s = Store::new();
    let c = root();
    let k = id(add(&mut s, &c, "user", "k", b"hello", PROCESS));
    assert_eq!(read(&mut s, &c, k).unwrap(), b"hello");
    assert_eq!(id(add(&mut s, &c, "user", "k", b"bye", PROCESS)), k, "same description updates");
    assert_eq!(read(&mut s, &c, k).unwrap(), b"bye");
    let ring = id(s.execute(&c, Request::GetKeyringId { id: PROCESS, create: false }));
    assert_eq!(read(&mut s, &c, ring).unwrap(), k.to_ne_bytes());
    s.execute(&c, Request::Revoke(k)).unwrap();
    assert_eq!(read(&mut s, &c, k), Err(Error::Revoked));
    assert_eq!(s.execute(&c, Request::Revoke(k)), Err(Error::Revoked));
    // A new key of the description replaces the revoked one, which nothing
    // holds any more and is collected.
    let k2 = id(add(&mut s, &c, "user", "k", b"x", PROCESS));
    assert_ne!(k2, k);
    assert_eq!(s.execute(&c, Request::Revoke(k)), Err(Error::NoKey));
}

#[test]
fn payload_rules_and_types() {
    let mut s = Store::new();
    let c = root();
    assert!(add(&mut s, &c, "user", "a", &[1; 32767], THREAD).is_ok());
    assert_eq!(add(&mut s, &c, "user", "b", &[1; 32768], THREAD), Err(Error::Invalid));
    assert_eq!(add(&mut s, &c, "user", "b", &[], THREAD), Err(Error::Invalid));
    assert_eq!(add(&mut s, &c, "keyring", "r", &[1], THREAD), Err(Error::Invalid));
    assert_eq!(add(&mut s, &c, "logon", "nocolon", &[1], THREAD), Err(Error::Invalid));
    let l = id(add(&mut s, &c, "logon", "svc:x", &[1], THREAD));
    assert_eq!(read(&mut s, &c, l), Err(Error::NotSupported));
    assert_eq!(add(&mut s, &c, "big_key", "x", &[1], THREAD), Err(Error::NoType));
    assert_eq!(add(&mut s, &c, "user", "x", &[1], 0), Err(Error::Invalid));
    assert_eq!(add(&mut s, &c, "user", "x", &[1], 12345), Err(Error::NoKey));
    assert_eq!(add(&mut s, &c, "user", "x", &[1], l), Err(Error::NotKeyring));
}

#[test]
fn special_keyrings() {
    let mut s = Store::new();
    let c = root();
    assert_eq!(s.execute(&c, Request::GetKeyringId { id: THREAD, create: false }), Err(Error::NoKey));
    assert_eq!(s.execute(&c, Request::GetKeyringId { id: GROUP, create: true }), Err(Error::Invalid));
    assert_eq!(s.execute(&c, Request::GetKeyringId { id: REQKEY_AUTH, create: true }), Err(Error::NoKey));
    assert_eq!(s.execute(&c, Request::GetKeyringId { id: -9, create: true }), Err(Error::Invalid));
    let t = id(s.execute(&c, Request::GetKeyringId { id: THREAD, create: true }));
    // keyctl04: setting the thread keyring as default keeps it.
    s.execute(&c, Request::SetReqkeyKeyring(keyrings::reqkey::THREAD)).unwrap();
    assert_eq!(id(s.execute(&c, Request::GetKeyringId { id: THREAD, create: false })), t);
    // Without one, the session is the user-session keyring.
    let us = id(s.execute(&c, Request::GetKeyringId { id: USER_SESSION, create: false }));
    assert_eq!(id(s.execute(&c, Request::GetKeyringId { id: SESSION, create: false })), us);
    let new = id(s.execute(&c, Request::JoinSession { name: None }));
    assert_ne!(new, us);
    assert_eq!(id(s.execute(&c, Request::GetKeyringId { id: SESSION, create: false })), new);
    assert_eq!(
        s.execute(&c, Request::JoinSession { name: Some(".builtin_trusted_keys".into()) }),
        Err(Error::NotPermitted)
    );
    // A named session keyring grants its owner no search permission
    // unless possessed, so joining the name again makes another (as Linux).
    let named = id(s.execute(&c, Request::JoinSession { name: Some("mine".into()) }));
    assert_ne!(id(s.execute(&c, Request::JoinSession { name: Some("mine".into()) })), named);
    let desc = s.execute(&c, Request::Describe(SESSION)).unwrap();
    assert_eq!(desc, Reply::Data(b"keyring;0;0;3f130000;mine\0".to_vec()));
}

#[test]
fn user_keyrings_are_not_forged() {
    // add_key03: a keyring named "_uid.1" made by root is not uid 1's.
    let mut s = Store::new();
    let c = root();
    let fake = id(add(&mut s, &c, "keyring", "_uid.1", &[], PROCESS));
    let u = user(1);
    assert_ne!(id(s.execute(&u, Request::GetKeyringId { id: USER, create: true })), fake);
}

#[test]
fn request_key_search_and_negative_keys() {
    let mut s = Store::new();
    let c = root();
    let k = id(add(&mut s, &c, "keyring", "ltp", &[], THREAD));
    let r = Request::RequestKey { ktype: "keyring".into(), description: "ltp".into(), callout: None, dest: 0 };
    assert_eq!(id(s.execute(&c, r)), k);
    let miss = Request::RequestKey { ktype: "user".into(), description: "nope".into(), callout: None, dest: 0 };
    assert_eq!(s.execute(&c, miss.clone()), Err(Error::NoKey));
    // With callout information, the missing helper leaves a negative key.
    let make = Request::RequestKey {
        ktype: "user".into(),
        description: "nope".into(),
        callout: Some(b"info".to_vec()),
        dest: PROCESS,
    };
    assert_eq!(s.execute(&c, make.clone()), Err(Error::NotFound));
    let ring = id(s.execute(&c, Request::GetKeyringId { id: PROCESS, create: false }));
    let neg = read(&mut s, &c, ring).unwrap();
    let neg = i32::from_ne_bytes(neg[..4].try_into().unwrap());
    assert_eq!(read(&mut s, &c, neg), Err(Error::NoKey), "keyctl07");
    assert_eq!(s.execute(&c, make), Err(Error::NoKey), "found negative");
    // Updating it with add_key makes it positive (request_key03).
    assert_eq!(id(add(&mut s, &c, "user", "nope", b"p", PROCESS)), neg);
    assert_eq!(read(&mut s, &c, neg).unwrap(), b"p");
    // A revoked or expired destination.
    let r2 = id(add(&mut s, &c, "keyring", "ltp2", &[], THREAD));
    s.execute(&c, Request::Revoke(r2)).unwrap();
    let to = |d| Request::RequestKey { ktype: "keyring".into(), description: "x".into(), callout: None, dest: d };
    assert_eq!(s.execute(&c, to(r2)), Err(Error::Revoked));
    let r3 = id(add(&mut s, &c, "keyring", "ltp3", &[], THREAD));
    s.execute(&c, Request::SetTimeout { id: r3, seconds: 1 }).unwrap();
    let mut later = c.clone();
    later.now += 2;
    assert_eq!(s.execute(&later, to(r3)), Err(Error::Expired));
}

#[test]
fn request_key_needs_write_on_the_default_destination() {
    // request_key04 (CVE-2017-17807).
    let mut s = Store::new();
    let c = root();
    let ses = id(s.execute(&c, Request::JoinSession { name: None }));
    s.execute(&c, Request::SetPerm { id: SESSION, perm: (0x08 | 0x02 | 0x01) << 24 }).unwrap();
    s.execute(&c, Request::SetReqkeyKeyring(keyrings::reqkey::SESSION)).unwrap();
    let r =
        Request::RequestKey { ktype: "user".into(), description: "desc".into(), callout: Some(b"c".to_vec()), dest: 0 };
    assert_eq!(s.execute(&c, r), Err(Error::Access));
    assert!(read(&mut s, &c, ses).unwrap().is_empty());
}

#[test]
fn keyring_read_and_cycles() {
    let mut s = Store::new();
    let c = root();
    let a = id(add(&mut s, &c, "keyring", "a", &[], PROCESS));
    let b = id(add(&mut s, &c, "keyring", "b", &[], a));
    assert_eq!(s.execute(&c, Request::Link { id: a, keyring: b }), Err(Error::Deadlock));
    assert_eq!(s.execute(&c, Request::Link { id: a, keyring: a }), Err(Error::Deadlock));
    let k = id(add(&mut s, &c, "user", "k", b"v", b));
    assert_eq!(s.execute(&c, Request::Link { id: k, keyring: k }), Err(Error::NotKeyring));
    assert_eq!(s.execute(&c, Request::Unlink { id: k, keyring: a }), Err(Error::NotFound));
    let found =
        s.execute(&c, Request::Search { keyring: PROCESS, ktype: "user".into(), description: "k".into(), dest: 0 });
    assert_eq!(id(found), k);
    assert_eq!(s.execute(&c, Request::Clear(k)), Err(Error::NotKeyring));
    s.execute(&c, Request::Clear(a)).unwrap();
    assert!(s.key(b).is_none() && s.key(k).is_none(), "unreachable keys are collected");
}

#[test]
fn permissions_and_quota_for_users() {
    let mut s = Store::new();
    let u = user(1000);
    s.execute(&u, Request::JoinSession { name: None }).unwrap();
    let k = id(add(&mut s, &u, "user", "k", b"v", SESSION));
    // Another user cannot see it; the owner may not give it away.
    let other = user(1001);
    assert_eq!(s.execute(&other, Request::Describe(k)), Err(Error::Access));
    assert_eq!(s.execute(&u, Request::Chown { id: k, uid: 1001, gid: u32::MAX }), Err(Error::Access));
    assert_eq!(s.execute(&other, Request::SetPerm { id: k, perm: 0x3f3f3f3f }), Err(Error::Access));
    assert_eq!(s.execute(&u, Request::SetPerm { id: k, perm: 0x4000_0000 }), Err(Error::Invalid));
    // 200 keys at most, counting the user keyrings and the session.
    let mut added = 0;
    let err = loop {
        match add(&mut s, &u, "user", &format!("q{added}"), b"v", SESSION) {
            Ok(_) => added += 1,
            Err(e) => break e,
        }
    };
    assert_eq!(err, Error::Quota);
    assert!(s.usage(1000).keys <= 200 + 1);
    s.execute(&u, Request::Clear(SESSION)).unwrap();
    assert!(s.usage(1000).keys <= 4);
}

#[derive(Debug, Clone)]
enum Op {
    Add { who: usize, user_type: bool, desc: u8, len: u16, ring: i32 },
    Request { who: usize, desc: u8, callout: bool },
    Revoke { who: usize, pick: u16 },
    Invalidate { who: usize, pick: u16 },
    Link { who: usize, pick: u16, ring: u16 },
    Unlink { who: usize, pick: u16, ring: u16 },
    Clear { who: usize, ring: i32 },
    Timeout { who: usize, pick: u16, secs: u8 },
    SetPerm { who: usize, pick: u16, perm: u32 },
    Chown { who: usize, pick: u16, uid: u8 },
    Join { who: usize, named: bool },
    Fork { who: usize, into: usize },
    Exit { who: usize },
    Exec { who: usize },
    Tick { secs: u16 },
    Limit { maxkeys: u8 },
}

fn special() -> impl Strategy<Value = i32> {
    prop_oneof![Just(THREAD), Just(PROCESS), Just(SESSION), Just(USER), Just(USER_SESSION)]
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0usize..4;
    prop_oneof![
        (who.clone(), any::<bool>(), 0u8..6, 0u16..40, special())
            .prop_map(|(who, user_type, desc, len, ring)| Op::Add { who, user_type, desc, len, ring }),
        (who.clone(), 0u8..6, any::<bool>()).prop_map(|(who, desc, callout)| Op::Request { who, desc, callout }),
        (who.clone(), any::<u16>()).prop_map(|(who, pick)| Op::Revoke { who, pick }),
        (who.clone(), any::<u16>()).prop_map(|(who, pick)| Op::Invalidate { who, pick }),
        (who.clone(), any::<u16>(), any::<u16>()).prop_map(|(who, pick, ring)| Op::Link { who, pick, ring }),
        (who.clone(), any::<u16>(), any::<u16>()).prop_map(|(who, pick, ring)| Op::Unlink { who, pick, ring }),
        (who.clone(), special()).prop_map(|(who, ring)| Op::Clear { who, ring }),
        (who.clone(), any::<u16>(), 0u8..5).prop_map(|(who, pick, secs)| Op::Timeout { who, pick, secs }),
        (who.clone(), any::<u16>(), any::<u32>()).prop_map(|(who, pick, perm)| Op::SetPerm {
            who,
            pick,
            perm: perm & 0x3f3f3f3f
        }),
        (who.clone(), any::<u16>(), 0u8..3).prop_map(|(who, pick, uid)| Op::Chown { who, pick, uid }),
        (who.clone(), any::<bool>()).prop_map(|(who, named)| Op::Join { who, named }),
        (who.clone(), who.clone()).prop_map(|(who, into)| Op::Fork { who, into }),
        who.clone().prop_map(|who| Op::Exit { who }),
        who.clone().prop_map(|who| Op::Exec { who }),
        (0u16..400).prop_map(|secs| Op::Tick { secs }),
        (1u8..30).prop_map(|maxkeys| Op::Limit { maxkeys }),
    ]
}

/// Four tasks: two of root, two of uid 1 (one of them with group 2).
fn tasks(now: u64) -> Vec<Caller> {
    let mut v = vec![Caller::root(10, now), Caller::root(11, now), user(1), user(1)];
    v[2].pid = 20;
    v[2].tid = 20;
    v[3].pid = 21;
    v[3].tid = 21;
    v[3].groups = vec![2];
    v
}

fn pick(s: &Store, n: u16) -> i32 {
    let all: Vec<i32> = s.serials().collect();
    if all.is_empty() {
        1
    } else {
        all[n as usize % all.len()]
    }
}

fn check_invariants(s: &Store) {
    // Quota accounting equals what the keys are charged; nothing negative
    // (the counters are unsigned and must never have saturated).
    let mut expected: std::collections::BTreeMap<u32, (u64, u64)> = Default::default();
    for serial in s.serials() {
        let k = s.key(serial).unwrap();
        let e = expected.entry(k.uid).or_default();
        e.0 += 1;
        e.1 += k.quota_bytes;
        let data = match &k.payload {
            keyrings::key::Payload::Data(d) => d.len() as u64,
            keyrings::key::Payload::Links(l) => 4 * l.len() as u64,
        };
        assert_eq!(k.quota_bytes, k.description.len() as u64 + 1 + data, "key {serial} charge");
        for l in k.links() {
            assert!(s.key(*l).is_some(), "link to a freed key");
        }
        let mut links = k.links().to_vec();
        links.sort();
        links.dedup();
        assert_eq!(links.len(), k.links().len(), "a key linked twice in one keyring");
    }
    for (uid, (keys, bytes)) in &expected {
        let u = s.usage(*uid);
        assert_eq!((u.keys, u.bytes), (*keys, *bytes), "usage of uid {uid}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn random_operations_keep_the_invariants(ops in prop::collection::vec(op(), 1..60)) {
        let mut s = Store::new();
        let mut now = 1000u64;
        let mut t = tasks(now);
        for op in ops {
            for c in t.iter_mut() { c.now = now; }
            match op {
                Op::Add { who, user_type, desc, len, ring } => {
                    let (ty, payload) = if user_type { ("user", vec![7u8; len as usize + 1]) } else { ("keyring", vec![]) };
                    let _ = add(&mut s, &t[who], ty, &format!("d{desc}"), &payload, ring);
                }
                Op::Request { who, desc, callout } => {
                    let r = Request::RequestKey { ktype: "user".into(), description: format!("d{desc}"), callout: callout.then(|| b"c".to_vec()), dest: 0 };
                    if let Ok(Reply::Value(k)) = s.execute(&t[who], r) {
                        // A revoked, expired or negative key is never handed out.
                        let k = s.key(k as i32).unwrap();
                        prop_assert!(!k.is_revoked() && !k.is_expired(now) && k.instantiated().is_ok());
                    }
                }
                Op::Revoke { who, pick: p } => { let _ = s.execute(&t[who], Request::Revoke(pick(&s, p))); }
                Op::Invalidate { who, pick: p } => { let _ = s.execute(&t[who], Request::Invalidate(pick(&s, p))); }
                Op::Link { who, pick: p, ring } => { let r = Request::Link { id: pick(&s, p), keyring: pick(&s, ring) }; let _ = s.execute(&t[who], r); }
                Op::Unlink { who, pick: p, ring } => { let r = Request::Unlink { id: pick(&s, p), keyring: pick(&s, ring) }; let _ = s.execute(&t[who], r); }
                Op::Clear { who, ring } => { let _ = s.execute(&t[who], Request::Clear(ring)); }
                Op::Timeout { who, pick: p, secs } => { let _ = s.execute(&t[who], Request::SetTimeout { id: pick(&s, p), seconds: secs.into() }); }
                Op::SetPerm { who, pick: p, perm } => { let _ = s.execute(&t[who], Request::SetPerm { id: pick(&s, p), perm }); }
                Op::Chown { who, pick: p, uid } => { let _ = s.execute(&t[who], Request::Chown { id: pick(&s, p), uid: uid.into(), gid: u32::MAX }); }
                Op::Join { who, named } => { let _ = s.execute(&t[who], Request::JoinSession { name: named.then(|| "shared".into()) }); }
                Op::Fork { who, into } if who != into => {
                    let child = &t[into];
                    s.process_exited(child.pid, now);
                    s.thread_exited(child.tid, now);
                    s.cloned(&t[who], child.pid, child.tid, false);
                }
                Op::Fork { .. } => {}
                Op::Exit { who } => { s.thread_exited(t[who].tid, now); s.process_exited(t[who].pid, now); }
                Op::Exec { who } => s.exec(t[who].pid, t[who].tid, now),
                Op::Tick { secs } => { now += u64::from(secs); s.collect(now); }
                Op::Limit { maxkeys } => { s.limits.maxkeys = maxkeys.into(); }
            }
            check_invariants(&s);
            // Searching never returns a revoked key either.
            for c in &t {
                for d in 0..6 {
                    if let Ok(Reply::Value(k)) = s.execute(c, Request::Search { keyring: SESSION, ktype: "user".into(), description: format!("d{d}"), dest: 0 }) {
                        prop_assert!(!s.key(k as i32).unwrap().is_revoked());
                    }
                }
            }
            check_invariants(&s);
        }
    }
}

fn any_request() -> impl Strategy<Value = Request> {
    let id = prop_oneof![-10i32..3, any::<i32>()];
    let text = prop_oneof![
        Just(String::from("user")),
        Just(String::from("keyring")),
        Just(String::from("logon")),
        "[a-z:._]{0,8}"
    ];
    prop_oneof![
        (text.clone(), prop::option::of(text.clone()), prop::collection::vec(any::<u8>(), 0..40), id.clone())
            .prop_map(|(ktype, description, payload, keyring)| Request::Add { ktype, description, payload, keyring }),
        (text.clone(), text.clone(), any::<bool>(), id.clone()).prop_map(|(ktype, description, c, dest)| {
            Request::RequestKey { ktype, description, callout: c.then(Vec::new), dest }
        }),
        (id.clone(), any::<bool>()).prop_map(|(id, create)| Request::GetKeyringId { id, create }),
        prop::option::of(text.clone()).prop_map(|name| Request::JoinSession { name }),
        (id.clone(), prop::collection::vec(any::<u8>(), 0..8))
            .prop_map(|(id, payload)| Request::Update { id, payload }),
        id.clone().prop_map(Request::Revoke),
        (id.clone(), any::<u32>(), any::<u32>()).prop_map(|(id, uid, gid)| Request::Chown { id, uid: uid % 4, gid }),
        (id.clone(), any::<u32>()).prop_map(|(id, perm)| Request::SetPerm { id, perm }),
        id.clone().prop_map(Request::Describe),
        id.clone().prop_map(Request::Clear),
        (id.clone(), id.clone()).prop_map(|(id, keyring)| Request::Link { id, keyring }),
        (id.clone(), id.clone()).prop_map(|(id, keyring)| Request::Unlink { id, keyring }),
        (id.clone(), id.clone(), id.clone(), any::<bool>()).prop_map(|(id, from, to, exclusive)| Request::Move {
            id,
            from,
            to,
            exclusive
        }),
        (id.clone(), text.clone(), text.clone(), id.clone())
            .prop_map(|(keyring, ktype, description, dest)| Request::Search { keyring, ktype, description, dest }),
        id.clone().prop_map(Request::Read),
        (-3i32..10).prop_map(Request::SetReqkeyKeyring),
        (id.clone(), any::<u32>()).prop_map(|(id, seconds)| Request::SetTimeout { id, seconds }),
        id.clone().prop_map(Request::Invalidate),
        id.clone().prop_map(Request::GetSecurity),
        Just(Request::SessionToParent),
        (id.clone(), prop::option::of(text.clone()), prop::option::of(text))
            .prop_map(|(id, ktype, restriction)| Request::Restrict { id, ktype, restriction }),
        id.clone().prop_map(Request::AssumeAuthority),
        id.prop_map(Request::Instantiate),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
    /// Any request, with ids that exist or not, answers without a panic and
    /// leaves the accounting right.
    #[test]
    fn arbitrary_requests_never_panic(reqs in prop::collection::vec((0usize..4, any_request()), 1..80)) {
        let mut s = Store::new();
        let mut t = tasks(5000);
        t[1].parent = Some(10);
        let mut last = 1;
        for (who, mut r) in reqs {
            // Aim positive ids at keys that exist now and then.
            if let Request::Revoke(ref mut id) | Request::Read(ref mut id) | Request::Describe(ref mut id) | Request::Invalidate(ref mut id) = r {
                if *id > 2 { *id = last; }
            }
            if let Ok(Reply::Value(v)) = s.execute(&t[who], r) {
                if v > 2 { last = v as i32; }
            }
            check_invariants(&s);
        }
    }
}
