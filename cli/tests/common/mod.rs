//! Running the built `cpaas-reseller` binary against an emulator started by the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use cpaas_reseller_emulator::{Emulator, EmulatorConfig};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const BIN: &str = env!("CARGO_BIN_EXE_cpaas-reseller");

/// What one run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:#?}"))
    }

    /// Asserts the exit code, showing everything on failure.
    pub fn expect(self, code: i32) -> Self {
        assert_eq!(self.code, code, "unexpected exit code: {self:#?}");
        self
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// A private scratch directory (also used as HOME, so no real config file is ever read),
/// removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn scratch() -> Scratch {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cpaas-cli-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// An emulator and the environment that points the CLI at it.
pub struct Env {
    pub emulator: Emulator,
    pub home: PathBuf,
    _scratch: Scratch,
}

impl Env {
    pub fn new() -> Self {
        Self::with(EmulatorConfig::default())
    }

    pub fn with(config: EmulatorConfig) -> Self {
        let scratch = scratch();
        Env {
            emulator: Emulator::start(config).unwrap(),
            home: scratch.path().to_path_buf(),
            _scratch: scratch,
        }
    }

    /// A command with a clean environment: only HOME, PATH and the emulator's settings.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = bare(&self.home, args);
        command
            .env("CPAAS_RESELLER_BASE_URL", self.emulator.base_url())
            .env("CPAAS_RESELLER_USERNAME", self.emulator.username())
            .env("CPAAS_RESELLER_PASSWORD", self.emulator.password());
        command
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.command(args).output().unwrap().into()
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = self.command(args);
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().unwrap().into()
    }

    pub fn run_stdin(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap().into()
    }

    /// Writes a file in the scratch directory and returns its path.
    pub fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.home.join(name);
        std::fs::write(&path, content).unwrap();
        path
    }
}

/// The binary with no CPAAS_* variables and HOME set to `home`.
pub fn bare(home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.args(args).env_clear().env("HOME", home);
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    command
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Parses a results CSV into one map per row.
pub fn read_results(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let record = r.unwrap();
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}
