//! docs/linux-syscalls.md is generated from the syscall table; this test
//! fails when someone changes the table without regenerating it.

#[test]
fn coverage_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/linux-syscalls.md");
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == personality_linux::docs::coverage_markdown(),
        "docs/linux-syscalls.md is stale: run `cargo xtask docs` and commit the result"
    );
}

#[test]
fn table_is_sorted_and_names_match_linux() {
    let mut last = None;
    for e in personality_linux::table::TABLE {
        assert!(last.is_none_or(|l| l < e.nr), "table out of order at {}", e.nr);
        last = Some(e.nr);
        assert_eq!(linux_abi::syscall_names::syscall_name(e.nr), Some(e.name), "name of syscall {}", e.nr);
        assert_eq!(personality_linux::table::lookup(u64::from(e.nr)).map(|x| x.nr), Some(e.nr));
    }
    assert!(personality_linux::table::lookup(999).is_none());
    assert!(personality_linux::table::lookup(u64::MAX).is_none());
}
