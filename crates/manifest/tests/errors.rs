//! Every error: its line and its message.

mod common;

use common::err;
use manifest::{parse, ParseError};

const OUTSIDE: &str = "task keyword outside a task block";
const INVALID_NUMBER: &str = "invalid number (decimal, or hex with 0x)";
const TOO_BIG: &str = "number does not fit in 64 bits";
const BAD_RIGHTS: &str = "rights are letters from rwxgtd, or - for none";
const BAD_NAME: &str = "name may only contain a-z 0-9 _ -";
const BAD_PATH_BYTES: &str = "path may only contain A-Z a-z 0-9 . _ / -";
const BAD_PATH: &str = "path must be relative, without empty, . or .. components";
const UNKNOWN_GRANT: &str = "unknown grant kind (endpoint, notification, ioports, irq, mmio, bootdir, file, vfs, net)";

/// A manifest with objects `ep` (endpoint) and `nt` (notification) and an
/// open task `t` on line 3, followed by `line` on line 4.
fn in_task(line: &str) -> (usize, &'static str) {
    err(&format!("endpoint ep\nnotification nt\ntask t\n{line}\n"))
}

#[test]
fn display() {
    let e = ParseError { line: 7, message: "unknown keyword" };
    assert_eq!(e.to_string(), "manifest line 7: unknown keyword");
    let e = ParseError { line: 0, message: "input larger than 64 KiB" };
    assert_eq!(e.to_string(), "manifest: input larger than 64 KiB");
}

#[test]
fn input_too_large() {
    let text = "#".repeat(64 * 1024 + 1);
    assert_eq!(err(&text), (0, "input larger than 64 KiB"));
}

#[test]
fn not_utf8() {
    assert_eq!(parse(b"task a\n# \xff\n").map_err(|e| (e.line, e.message)), Err((2, "input is not UTF-8")));
    assert_eq!(parse(b"\xc3").map_err(|e| (e.line, e.message)), Err((1, "input is not UTF-8")));
    assert_eq!(parse(b"\n\n\ntask \xe2\x82").map_err(|e| (e.line, e.message)), Err((4, "input is not UTF-8")));
}

#[test]
fn non_ascii_outside_comments() {
    assert_eq!(err("task é\n"), (1, BAD_NAME));
    assert_eq!(err("tâsk a\n"), (1, "unknown keyword"));
    assert_eq!(err("task a\x00\n"), (1, BAD_NAME));
}

#[test]
fn unknown_keyword() {
    assert_eq!(err("tasks a\n"), (1, "unknown keyword"));
    assert_eq!(err("\n# x\nTask a\n"), (3, "unknown keyword"));
    assert_eq!(err("task a\n  grants bootdir r\n"), (2, "unknown keyword"));
    assert_eq!(in_task("priority 3"), (4, "unknown keyword"));
    assert_eq!(err("task a\n-\n"), (2, "unknown keyword"));
}

#[test]
fn usage() {
    for (line, message) in [
        ("endpoint", "usage: endpoint <name>"),
        ("endpoint a b", "usage: endpoint <name>"),
        ("notification", "usage: notification <name>"),
        ("notification a b", "usage: notification <name>"),
        ("task", "usage: task <name>"),
        ("task a b", "usage: task <name>"),
        ("image", "usage: image <path>"),
        ("image a b", "usage: image <path>"),
        ("arg", "usage: arg <number>"),
        ("arg 1 2", "usage: arg <number>"),
        ("memory", "usage: memory <pages>"),
        ("memory 1 2", "usage: memory <pages>"),
        ("restart", "usage: restart never|<count>"),
        ("restart never 2", "usage: restart never|<count>"),
        ("after", "usage: after <task>"),
        ("after a b", "usage: after <task>"),
        ("wait now", "usage: wait"),
        ("grant", UNKNOWN_GRANT),
        ("grant endpoint", "usage: grant endpoint <name> <rights>"),
        ("grant endpoint ep", "usage: grant endpoint <name> <rights>"),
        ("grant endpoint ep r w", "usage: grant endpoint <name> <rights>"),
        ("grant notification nt", "usage: grant notification <name> <rights>"),
        ("grant notification nt w w", "usage: grant notification <name> <rights>"),
        ("grant ioports 0x2f8 8", "usage: grant ioports <base> <count> <rights>"),
        ("grant ioports 0x2f8 8 r w", "usage: grant ioports <base> <count> <rights>"),
        ("grant irq", "usage: grant irq <line>"),
        ("grant irq 3 r", "usage: grant irq <line>"),
        ("grant mmio 0 4096", "usage: grant mmio <base> <bytes> <rights>"),
        ("grant mmio 0 4096 r r", "usage: grant mmio <base> <bytes> <rights>"),
        ("grant bootdir", "usage: grant bootdir <rights>"),
        ("grant bootdir r x", "usage: grant bootdir <rights>"),
        ("grant file a", "usage: grant file <path> <rights>"),
        ("grant file a r r", "usage: grant file <path> <rights>"),
        ("grant net", "usage: grant net <rights>"),
        ("grant net w w", "usage: grant net <rights>"),
    ] {
        assert_eq!(in_task(line), (4, message), "{line}");
    }
}

#[test]
fn a_comment_is_not_an_argument() {
    assert_eq!(in_task("arg # 5"), (4, "usage: arg <number>"));
    assert_eq!(in_task("grant ioports 0x2f8 8 #rw"), (4, "usage: grant ioports <base> <count> <rights>"));
}

#[test]
fn task_keywords_outside_a_task_block() {
    for line in [
        "image a",
        "arg 1",
        "memory 1",
        "restart 1",
        "after a",
        "wait",
        "grant bootdir r",
        "grant irq 3",
        // Checked before the arguments.
        "image",
        "grant",
    ] {
        // Before any task.
        assert_eq!(err(&format!("# header\n{line}\ntask a\n")), (2, OUTSIDE), "{line}");
        // After an object line, which ends the task block.
        assert_eq!(err(&format!("task a\nendpoint e\n{line}\n")), (3, OUTSIDE), "{line}");
        assert_eq!(err(&format!("task a\nnotification n\n\n{line}\n")), (4, OUTSIDE), "{line}");
    }
}

#[test]
fn bad_names() {
    assert_eq!(err("task abcdefghijklmnop\n"), (1, "name longer than 15 bytes"));
    assert_eq!(err("endpoint abcdefghijklmnop\n"), (1, "name longer than 15 bytes"));
    assert_eq!(err("task Serial\n"), (1, BAD_NAME));
    assert_eq!(err("notification a.b\n"), (1, BAD_NAME));
    assert_eq!(err("task a\nafter A\n"), (2, BAD_NAME));
    assert_eq!(in_task("grant endpoint e/p r"), (4, BAD_NAME));
    assert_eq!(in_task("grant notification abcdefghijklmnop r"), (4, "name longer than 15 bytes"));
}

#[test]
fn bad_paths() {
    assert_eq!(in_task("image /t"), (4, BAD_PATH));
    assert_eq!(in_task("image a//t"), (4, BAD_PATH));
    assert_eq!(in_task("image t/"), (4, BAD_PATH));
    assert_eq!(in_task("image ./t"), (4, BAD_PATH));
    assert_eq!(in_task("grant file ../t r"), (4, BAD_PATH));
    assert_eq!(in_task("grant file a/../t r"), (4, BAD_PATH));
    assert_eq!(in_task("grant file .. r"), (4, BAD_PATH));
    assert_eq!(in_task("image a\\b"), (4, BAD_PATH_BYTES));
    assert_eq!(in_task("grant file a:b r"), (4, BAD_PATH_BYTES));
    assert_eq!(in_task(&format!("image {}", "a".repeat(256))), (4, "path longer than 255 bytes"));
    assert_eq!(in_task(&format!("grant file {} r", "a/".repeat(128))), (4, "path longer than 255 bytes"));
}

#[test]
fn bad_numbers() {
    for (line, message) in [
        ("arg x", INVALID_NUMBER),
        ("arg -1", INVALID_NUMBER),
        ("arg 0x", INVALID_NUMBER),
        ("arg 0X10", INVALID_NUMBER),
        ("arg 1_000", INVALID_NUMBER),
        ("arg 18446744073709551616", TOO_BIG),
        ("arg 0x1ffffffffffffffff", TOO_BIG),
        ("memory 4k", INVALID_NUMBER),
        ("memory 99999999999999999999", TOO_BIG),
        ("restart forever", INVALID_NUMBER),
        ("restart 99999999999999999999", TOO_BIG),
        ("grant ioports x 8 r", INVALID_NUMBER),
        ("grant ioports 0x2f8 eight r", INVALID_NUMBER),
        ("grant irq three", INVALID_NUMBER),
        ("grant mmio 0x1000x 4096 r", INVALID_NUMBER),
        ("grant mmio 0 0x10000000000000000 r", TOO_BIG),
    ] {
        assert_eq!(in_task(line), (4, message), "{line}");
    }
}

#[test]
fn bad_rights() {
    for (line, message) in [
        ("grant bootdir rr", "right given twice"),
        ("grant bootdir rwxgtdr", "right given twice"),
        ("grant endpoint ep wgw", "right given twice"),
        ("grant bootdir R", BAD_RIGHTS),
        ("grant bootdir rz", BAD_RIGHTS),
        ("grant bootdir --", BAD_RIGHTS),
        ("grant bootdir r-", BAD_RIGHTS),
        ("grant notification nt 3", BAD_RIGHTS),
        ("grant ioports 0x2f8 8 read", BAD_RIGHTS),
        ("grant mmio 0 4096 all", BAD_RIGHTS),
        ("grant file a rW", BAD_RIGHTS),
    ] {
        assert_eq!(in_task(line), (4, message), "{line}");
    }
}

#[test]
fn duplicate_names() {
    assert_eq!(err("task a\ntask b\ntask a\n"), (3, "task name declared twice"));
    assert_eq!(err("endpoint a\nendpoint a\n"), (2, "object name declared twice"));
    assert_eq!(err("endpoint a\nnotification a\n"), (2, "object name declared twice"));
    assert_eq!(err("notification a\ntask x\nendpoint a\n"), (3, "object name declared twice"));
}

#[test]
fn task_lines_given_twice() {
    for (line, message) in [
        ("image a", "image given twice in one task"),
        ("arg 1", "arg given twice in one task"),
        ("memory 1", "memory given twice in one task"),
        ("restart never", "restart given twice in one task"),
        ("after s", "after given twice in one task"),
        ("wait", "wait given twice in one task"),
    ] {
        let text = format!("task s\ntask t\n{line}\n# between\n{line}\n");
        assert_eq!(err(&text), (5, message), "{line}");
    }
    // Each task block starts afresh.
    common::ok("task s\nimage a\narg 1\nmemory 1\nrestart 1\ntask t\nimage a\narg 1\nmemory 1\nrestart 1\n");
}

#[test]
fn restart_count() {
    assert_eq!(in_task("restart 101"), (4, "restart count above 100"));
    assert_eq!(in_task("restart 0x100000000"), (4, "restart count above 100"));
    assert_eq!(in_task("restart 18446744073709551615"), (4, "restart count above 100"));
}

#[test]
fn after_must_name_an_earlier_task() {
    const MESSAGE: &str = "after must name a task declared earlier";
    assert_eq!(err("task a\nafter b\n"), (2, MESSAGE));
    assert_eq!(err("task a\nafter a\n"), (2, MESSAGE));
    assert_eq!(err("task a\nafter b\ntask b\n"), (2, MESSAGE));
    assert_eq!(err("task a\ntask b\nafter c\ntask c\nafter b\n"), (3, MESSAGE));
    // Objects are not tasks.
    assert_eq!(err("endpoint e\ntask a\nafter e\n"), (3, MESSAGE));
}

#[test]
fn only_one_task_may_wait() {
    assert_eq!(err("task a\nwait\ntask b\n\nwait\n"), (5, "only one task may wait"));
    assert_eq!(err("task a\nwait\ntask b\ntask c\nwait\n"), (5, "only one task may wait"));
}

#[test]
fn object_grants_must_name_declared_objects() {
    assert_eq!(in_task("grant endpoint nope r"), (4, "grant names an undeclared object"));
    assert_eq!(in_task("grant notification nope r"), (4, "grant names an undeclared object"));
    assert_eq!(in_task("grant endpoint nt r"), (4, "grant endpoint names a notification"));
    assert_eq!(in_task("grant notification ep w"), (4, "grant notification names an endpoint"));
    // The first unresolved grant is reported, after the whole input is read.
    assert_eq!(
        err("task a\ngrant endpoint ep r\ngrant endpoint x r\ntask b\ngrant endpoint y r\nendpoint ep\n"),
        (3, "grant names an undeclared object")
    );
    // A syntax error anywhere is reported first.
    assert_eq!(err("task a\ngrant endpoint x r\ntask b\nbogus\n"), (4, "unknown keyword"));
    // Tasks are not objects.
    assert_eq!(err("task a\ntask b\ngrant endpoint a r\n"), (3, "grant names an undeclared object"));
}

#[test]
fn unknown_grant_kind() {
    assert_eq!(in_task("grant port 0x2f8 8 r"), (4, UNKNOWN_GRANT));
    assert_eq!(in_task("grant Endpoint ep r"), (4, UNKNOWN_GRANT));
    assert_eq!(in_task("grant task t r"), (4, UNKNOWN_GRANT));
}

#[test]
fn ioports_range() {
    const BEYOND: &str = "ioports range beyond 0x10000";
    assert_eq!(in_task("grant ioports 0x2f8 0 rw"), (4, "ioports count is zero"));
    assert_eq!(in_task("grant ioports 0x10000 1 rw"), (4, BEYOND));
    assert_eq!(in_task("grant ioports 0xffff 2 rw"), (4, BEYOND));
    assert_eq!(in_task("grant ioports 0 0x10001 rw"), (4, BEYOND));
    assert_eq!(in_task("grant ioports 1 0x10000 rw"), (4, BEYOND));
    assert_eq!(in_task("grant ioports 0xffffffffffffffff 1 rw"), (4, BEYOND));
    assert_eq!(in_task("grant ioports 8 0xffffffffffffffff rw"), (4, BEYOND));
}

#[test]
fn irq_line() {
    assert_eq!(in_task("grant irq 24"), (4, "irq line must be below 24"));
    assert_eq!(in_task("grant irq 256"), (4, "irq line must be below 24"));
    assert_eq!(in_task("grant irq 0xffffffffffffffff"), (4, "irq line must be below 24"));
}

#[test]
fn mmio_range() {
    assert_eq!(in_task("grant mmio 0xfee00001 0x1000 rw"), (4, "mmio base not page aligned"));
    assert_eq!(in_task("grant mmio 0x800 0x1000 rw"), (4, "mmio base not page aligned"));
    assert_eq!(in_task("grant mmio 0xfee00000 0 rw"), (4, "mmio size is zero"));
    assert_eq!(in_task("grant mmio 0xfee00000 0x800 rw"), (4, "mmio size not page aligned"));
    assert_eq!(in_task("grant mmio 0xfee00000 0x1001 rw"), (4, "mmio size not page aligned"));
    assert_eq!(in_task("grant mmio 0xfffffffffffff000 0x1000 rw"), (4, "mmio range wraps past 2^64"));
    assert_eq!(in_task("grant mmio 0x1000 0xfffffffffffff000 rw"), (4, "mmio range wraps past 2^64"));
}

#[test]
fn too_many_objects() {
    let mut text: String = (0..32).map(|i| format!("endpoint e{i}\n")).collect();
    text += "notification one-more\n";
    assert_eq!(err(&text), (33, "more than 32 objects"));
}

#[test]
fn too_many_tasks() {
    let mut text: String = (0..32).map(|i| format!("task t{i}\n")).collect();
    text += "task one-more\n";
    assert_eq!(err(&text), (33, "more than 32 tasks"));
}

#[test]
fn too_many_grants() {
    let mut text = String::from("task t\n");
    text += &"grant irq 1\n".repeat(16);
    text += "grant bootdir r\n";
    assert_eq!(err(&text), (18, "more than 16 grants in one task"));
    // The count is per task.
    let mut text = String::from("task t\n");
    text += &"grant irq 1\n".repeat(16);
    text += "task u\n";
    text += &"grant irq 1\n".repeat(16);
    common::ok(&text);
}

#[test]
fn line_numbers_count_every_line() {
    assert_eq!(err("\n\n# c\n   \n\ttask a\n\nbogus"), (7, "unknown keyword"));
    assert_eq!(err("\r\n\r\ntask a\r\nbogus\r\n"), (4, "unknown keyword"));
}
