//! Documents generated from the tables that are the truth (`cargo xtask
//! docs`); host tests fail when a checked-in copy is stale.

pub fn write_all() -> Result<(), String> {
    write("docs/linux-syscalls.md", personality_linux::docs::coverage_markdown())?;
    write("docs/freebsd-syscalls.md", personality_freebsd::docs::coverage_markdown())?;
    write("docs/netbsd-syscalls.md", personality_netbsd::docs::coverage_markdown())?;
    write("docs/native-abi.md", abi::docs::render_markdown())
}

fn write(relative: &str, text: String) -> Result<(), String> {
    let path = crate::root().join(relative);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}
