//! Every keyword, accepted: what it sets and its default.

mod common;

use common::ok;
use manifest::{Grant, Manifest, Object, ObjectKind, Rights, Task};

fn task(name: &str) -> Task {
    Task {
        name: name.into(),
        image: name.into(),
        arg: 0,
        memory_pages: 0,
        restart: 0,
        after: None,
        wait: false,
        grants: vec![],
    }
}

/// The single task of a manifest holding `lines` after `task t`.
fn only_task(lines: &str) -> Task {
    let m = ok(&format!("endpoint ep\nnotification nt\ntask t\n{lines}"));
    assert_eq!(m.tasks.len(), 1);
    m.tasks.into_iter().next().unwrap()
}

fn grants(lines: &str) -> Vec<Grant> {
    only_task(lines).grants
}

#[test]
fn empty_input_is_an_empty_manifest() {
    for text in ["", "\n", "   \n\t\n", "# nothing\n  # at all", "\r\n"] {
        assert_eq!(ok(text), Manifest::default());
    }
    assert_eq!(Manifest::default().render(), "");
}

#[test]
fn objects() {
    let m = ok("endpoint a\nnotification b\nendpoint c-1_x\n");
    assert_eq!(
        m.objects,
        vec![
            Object { kind: ObjectKind::Endpoint, name: "a".into() },
            Object { kind: ObjectKind::Notification, name: "b".into() },
            Object { kind: ObjectKind::Endpoint, name: "c-1_x".into() },
        ]
    );
    assert!(m.tasks.is_empty());
    assert_eq!(m.object("b").map(|o| o.kind), Some(ObjectKind::Notification));
    assert_eq!(m.object("z"), None);
}

#[test]
fn task_defaults() {
    let m = ok("task init-0\n");
    assert_eq!(m.tasks, vec![task("init-0")]);
    assert_eq!(m.task("init-0"), Some(&task("init-0")));
    assert_eq!(m.task("init"), None);
    assert_eq!(m.render(), "task init-0\n");
}

#[test]
fn image() {
    assert_eq!(only_task("image bin/Serial_2.elf").image, "bin/Serial_2.elf");
    assert_eq!(only_task("image t").image, "t");
}

#[test]
fn arg() {
    assert_eq!(only_task("arg 0").arg, 0);
    assert_eq!(only_task("arg 1234").arg, 1234);
    assert_eq!(only_task("arg 0xdeadBEEF").arg, 0xdead_beef);
    assert_eq!(only_task("arg 18446744073709551615").arg, u64::MAX);
    assert_eq!(only_task("arg 0xffffffffffffffff").arg, u64::MAX);
}

#[test]
fn memory() {
    assert_eq!(only_task("memory 0").memory_pages, 0);
    assert_eq!(only_task("memory 256").memory_pages, 256);
    assert_eq!(only_task("memory 0x100").memory_pages, 256);
}

#[test]
fn restart() {
    assert_eq!(only_task("restart never").restart, 0);
    assert_eq!(only_task("restart 0").restart, 0);
    assert_eq!(only_task("restart 3").restart, 3);
    assert_eq!(only_task("restart 100").restart, 100);
    assert_eq!(only_task("restart 0x64").restart, 100);
}

#[test]
fn after() {
    let m = ok("task a\ntask b\nafter a\ntask c\nafter a\ntask d\nafter c\n");
    let after: Vec<_> = m.tasks.iter().map(|t| t.after.as_deref()).collect();
    assert_eq!(after, [None, Some("a"), Some("a"), Some("c")]);
}

#[test]
fn wait() {
    let m = ok("task a\ntask b\nwait\ntask c\n");
    let wait: Vec<_> = m.tasks.iter().map(|t| t.wait).collect();
    assert_eq!(wait, [false, true, false]);
}

#[test]
fn every_task_line_at_once_in_any_order() {
    let m = ok("task t0\n\
                task t\n\
                \tgrant bootdir r\n\
                \twait\n\
                \tmemory 7\n\
                \tafter t0\n\
                \trestart 2\n\
                \targ 9\n\
                \timage x\n\
                \tgrant irq 1\n");
    let mut want = task("t");
    want.image = "x".into();
    want.arg = 9;
    want.memory_pages = 7;
    want.restart = 2;
    want.after = Some("t0".into());
    want.wait = true;
    want.grants = vec![Grant::BootDir { rights: Rights::READ }, Grant::Irq { line: 1 }];
    assert_eq!(m.tasks, vec![task("t0"), want]);
}

#[test]
fn grant_endpoint_and_notification() {
    assert_eq!(
        grants("grant endpoint ep rwg\ngrant notification nt w\ngrant endpoint ep -"),
        vec![
            Grant::Endpoint { name: "ep".into(), rights: Rights::READ | Rights::WRITE | Rights::GRANT },
            Grant::Notification { name: "nt".into(), rights: Rights::WRITE },
            Grant::Endpoint { name: "ep".into(), rights: Rights::NONE },
        ]
    );
}

#[test]
fn objects_may_be_declared_after_their_use() {
    let m = ok("task t\ngrant endpoint later r\nendpoint later\n");
    assert_eq!(m.tasks[0].grants, vec![Grant::Endpoint { name: "later".into(), rights: Rights::READ }]);
    assert_eq!(m.render(), "endpoint later\n\ntask t\n    grant endpoint later r\n");
}

#[test]
fn grant_ioports() {
    assert_eq!(
        grants("grant ioports 0x2f8 8 rw\ngrant ioports 0 0x10000 -\ngrant ioports 0xffff 1 r"),
        vec![
            Grant::IoPorts { base: 0x2f8, count: 8, rights: Rights::READ | Rights::WRITE },
            Grant::IoPorts { base: 0, count: 0x10000, rights: Rights::NONE },
            Grant::IoPorts { base: 0xffff, count: 1, rights: Rights::READ },
        ]
    );
}

#[test]
fn grant_irq() {
    assert_eq!(
        grants("grant irq 0\ngrant irq 23\ngrant irq 0x3"),
        vec![Grant::Irq { line: 0 }, Grant::Irq { line: 23 }, Grant::Irq { line: 3 },]
    );
    assert_eq!(Grant::Irq { line: 3 }.rights(), Rights::READ);
}

#[test]
fn grant_mmio() {
    assert_eq!(
        grants("grant mmio 0xfee00000 0x1000 rw\ngrant mmio 0 4096 r\ngrant mmio 0xffffffffffffe000 0x1000 -"),
        vec![
            Grant::Mmio { base: 0xfee0_0000, bytes: 0x1000, rights: Rights::READ | Rights::WRITE },
            Grant::Mmio { base: 0, bytes: 4096, rights: Rights::READ },
            Grant::Mmio { base: 0xffff_ffff_ffff_e000, bytes: 0x1000, rights: Rights::NONE },
        ]
    );
}

#[test]
fn grant_bootdir_and_file() {
    assert_eq!(
        grants("grant bootdir rxtd\ngrant file etc/motd r\ngrant file a.b/C-d_e.elf rx"),
        vec![
            Grant::BootDir { rights: Rights::READ | Rights::EXEC | Rights::TRANSFER | Rights::DERIVE },
            Grant::File { path: "etc/motd".into(), rights: Rights::READ },
            Grant::File { path: "a.b/C-d_e.elf".into(), rights: Rights::READ | Rights::EXEC },
        ]
    );
}

#[test]
fn every_rights_letter() {
    for (letters, rights) in [
        ("r", Rights::READ),
        ("w", Rights::WRITE),
        ("x", Rights::EXEC),
        ("g", Rights::GRANT),
        ("t", Rights::TRANSFER),
        ("d", Rights::DERIVE),
        ("rwxgtd", Rights::ALL),
        ("dtgxwr", Rights::ALL),
        ("-", Rights::NONE),
    ] {
        assert_eq!(grants(&format!("grant bootdir {letters}")), vec![Grant::BootDir { rights }]);
        assert_eq!(Grant::BootDir { rights }.rights(), rights);
    }
}

#[test]
fn grants_keep_their_order() {
    let lines: String = (0..16).map(|i| format!("grant irq {}\n", 23 - i)).collect();
    let g = grants(&lines);
    assert_eq!(g.len(), 16);
    for (i, grant) in g.iter().enumerate() {
        assert_eq!(*grant, Grant::Irq { line: 23 - i as u8 });
    }
}

#[test]
fn comments_whitespace_and_line_endings() {
    let m = ok("  # leading comment\r\n\
                endpoint\t ep# no space before the comment\r\n\
                \r\n\
                task   t   #x\r\n\
                \t \tgrant endpoint ep rw #\r\n\
                \x0cwait");
    assert_eq!(m.objects, vec![Object { kind: ObjectKind::Endpoint, name: "ep".into() }]);
    assert_eq!(m.tasks[0].grants, vec![Grant::Endpoint { name: "ep".into(), rights: Rights::READ | Rights::WRITE }]);
    assert!(m.tasks[0].wait);
}

#[test]
fn comments_may_hold_any_utf8() {
    let m = ok("task t # démarre le pilote — ✓\n# ünïcödé\n");
    assert_eq!(m.tasks, vec![task("t")]);
}

#[test]
fn object_line_ends_the_task_block_but_task_may_follow() {
    let m = ok("task a\nendpoint e\ntask b\ngrant endpoint e r\n");
    assert!(m.tasks[0].grants.is_empty());
    assert_eq!(m.tasks[1].grants.len(), 1);
}

#[test]
fn names_at_the_limit() {
    let m = ok("task abcdefghijklmno\nendpoint 0123456789_-abc\n");
    assert_eq!(m.tasks[0].name.len(), 15);
    assert_eq!(m.objects[0].name.len(), 15);
    let path = "a/".repeat(127) + "b";
    assert_eq!(path.len(), 255);
    assert_eq!(only_task(&format!("image {path}")).image, path);
}

#[test]
fn limits_are_reachable() {
    let mut text = String::new();
    for i in 0..32 {
        text += &format!("endpoint e{i}\n");
    }
    for i in 0..32 {
        text += &format!("task t{i}\n");
        for j in 0..16 {
            text += &format!("grant endpoint e{} rw\n", (i + j) % 32);
        }
    }
    let m = ok(&text);
    assert_eq!(m.objects.len(), 32);
    assert_eq!(m.tasks.len(), 32);
    assert!(m.tasks.iter().all(|t| t.grants.len() == 16));
}

#[test]
fn canonical_text() {
    let m = ok("notification n\n\
                task b   # defaults only\n\
                endpoint e\n\
                task a\n\
                grant irq 4\n\
                wait\n\
                after b\n\
                image a.elf\n\
                restart never\n\
                arg 16\n\
                memory 0x10\n\
                grant ioports 760 8 wr\n\
                grant mmio 4096 8192 tdr\n\
                grant notification n -\n\
                grant file x/y gx\n");
    assert_eq!(
        m.render(),
        "notification n\n\
         endpoint e\n\
         \n\
         task b\n\
         \n\
         task a\n\
         \x20   image a.elf\n\
         \x20   arg 0x10\n\
         \x20   memory 16\n\
         \x20   after b\n\
         \x20   wait\n\
         \x20   grant irq 4\n\
         \x20   grant ioports 0x2f8 8 rw\n\
         \x20   grant mmio 0x1000 0x2000 rtd\n\
         \x20   grant notification n -\n\
         \x20   grant file x/y xg\n"
    );
}

#[test]
fn input_at_the_size_limit() {
    let mut text = String::from("task t\n");
    text += &"#".repeat(64 * 1024 - text.len());
    assert_eq!(text.len(), 64 * 1024);
    assert_eq!(ok(&text).tasks, vec![task("t")]);
}
