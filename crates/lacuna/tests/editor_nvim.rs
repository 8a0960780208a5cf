//! `lacuna lsp` in a real editor: Neovim's built-in LSP client, headless,
//! drives the binary (`tests/editor/nvim.lua`) through diagnostics, an
//! edit, a hover, a definition, a completion and code actions, on a
//! proposal whose lines hold emoji, CJK and combining marks. The snapshot
//! is what the editor showed.
//!
//! `.ci/run` installs Neovim. Without it the test says so and passes,
//! unless `CI` is set: there, a missing editor is a failure.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stderr
)]

use std::path::Path;
use std::process::Command;

#[test]
fn neovim_shows_diagnostics_hover_definition_completion_and_code_actions() {
    let version = Command::new("nvim").arg("--version").output();
    if version.is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "Neovim is not installed; `.ci/run` installs it"
        );
        eprintln!("skipped: Neovim is not installed (`.ci/run` installs it)");
        return;
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editor");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wide.toml");
    std::fs::copy(here.join("wide.toml"), &file).unwrap();
    let output = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!("luafile {}", here.join("nvim.lua").display()))
        .env("LACUNA_BIN", env!("CARGO_BIN_EXE_lacuna"))
        .env("LACUNA_FILE", &file)
        .env("LACUNA_TODAY", "2026-01-15")
        .env("HOME", dir.path())
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "Neovim failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    insta::assert_snapshot!(stdout);
}
