//! Where the API user name, password and base URL come from: the environment, or a config file
//! only its owner can read. Never from arguments, which land in shell history and `ps`.

use crate::exit::CliError;
use cpaas_reseller::Secret;
use serde::Deserialize;
use std::io::BufRead;
use std::path::{Path, PathBuf};

pub use cpaas_reseller::config::{ENV_BASE_URL, ENV_PASSWORD, ENV_USERNAME};
pub const ENV_CONFIG: &str = "CPAAS_RESELLER_CONFIG";
/// A new portal user's password for `users add`, `users reset-password` and `bulk users add`.
pub const ENV_NEW_USER_PASSWORD: &str = "CPAAS_RESELLER_NEW_USER_PASSWORD";

/// The contents of the config file (TOML).
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    username: Option<String>,
    password: Option<String>,
    base_url: Option<String>,
    proxy: Option<String>,
    proxy_username: Option<String>,
    proxy_password: Option<String>,
    root_certificates: Option<String>,
}

/// The config file's network options, keyed by the environment variable each stands in for:
/// the core reads them after the environment, for the options no flag set.
pub fn fallback_values(config: Option<&Path>) -> Result<Vec<(&'static str, String)>, CliError> {
    use cpaas_reseller::config::{
        ENV_PROXY, ENV_PROXY_PASSWORD, ENV_PROXY_USERNAME, ENV_ROOT_CERTIFICATES,
    };
    let Some((_, file)) = load_config(config)? else {
        return Ok(Vec::new());
    };
    Ok([
        (ENV_PROXY, file.proxy),
        (ENV_PROXY_USERNAME, file.proxy_username),
        (ENV_PROXY_PASSWORD, file.proxy_password),
        (ENV_ROOT_CERTIFICATES, file.root_certificates),
    ]
    .into_iter()
    .filter_map(|(name, value)| Some((name, value?)))
    .collect())
}

/// What a command connects with.
#[derive(Debug)]
pub struct Settings {
    pub username: String,
    pub password: Secret,
    /// `None`: the vendor's default endpoint.
    pub base_url: Option<String>,
}

/// The base URL alone (for `demo`, which needs no credentials when it embeds the emulator).
pub fn base_url(flag: Option<&str>, config: Option<&Path>) -> Result<Option<String>, CliError> {
    if let Some(url) = flag.map(str::to_owned).or_else(|| env(ENV_BASE_URL)) {
        return Ok(Some(url));
    }
    Ok(load_config(config)?.and_then(|(_, file)| file.base_url))
}

/// Resolves credentials and base URL. Precedence: `--base-url`, then the environment, then the
/// config file (read when it is named explicitly or when something is still missing).
pub fn resolve(flag_base_url: Option<&str>, config: Option<&Path>) -> Result<Settings, CliError> {
    let mut username = env(ENV_USERNAME);
    let mut password = env(ENV_PASSWORD);
    let mut base_url = flag_base_url
        .map(str::to_owned)
        .or_else(|| env(ENV_BASE_URL));
    let explicit = config.is_some() || env(ENV_CONFIG).is_some();
    let mut source = None;
    if explicit || username.is_none() || password.is_none() || base_url.is_none() {
        if let Some((path, file)) = load_config(config)? {
            username = username.or(file.username);
            password = password.or(file.password);
            base_url = base_url.or(file.base_url);
            source = Some(path);
        }
    }
    match (username, password) {
        (Some(username), Some(password)) => Ok(Settings {
            username,
            password: Secret::new(password),
            base_url,
        }),
        (username, _) => {
            let missing = if username.is_none() {
                ENV_USERNAME
            } else {
                ENV_PASSWORD
            };
            let file = source.unwrap_or_else(|| {
                default_config_path().unwrap_or_else(|| PathBuf::from("config.toml"))
            });
            Err(CliError::Usage(format!(
                "no API credentials: set {missing} (and its partner {}) or put username and \
                 password in {} (chmod 600)",
                if missing == ENV_USERNAME {
                    ENV_PASSWORD
                } else {
                    ENV_USERNAME
                },
                file.display()
            )))
        }
    }
}

/// A new user's password: the first line of standard input with `--password-stdin`, else
/// [`ENV_NEW_USER_PASSWORD`]; `None` when neither is given.
pub fn new_user_password(from_stdin: bool) -> Result<Option<Secret>, CliError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::Usage(format!("could not read the password from stdin: {e}")))?;
        let password = line.trim_end_matches(['\r', '\n']);
        if password.is_empty() {
            return Err(CliError::Usage(
                "--password-stdin: standard input held no password".to_owned(),
            ));
        }
        return Ok(Some(Secret::new(password)));
    }
    Ok(env(ENV_NEW_USER_PASSWORD).map(Secret::new))
}

/// [`new_user_password`], required.
pub fn require_new_user_password(from_stdin: bool) -> Result<Secret, CliError> {
    new_user_password(from_stdin)?.ok_or_else(|| {
        CliError::Usage(format!(
            "no password for the user: set {ENV_NEW_USER_PASSWORD} or pipe it with --password-stdin"
        ))
    })
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// `$XDG_CONFIG_HOME/cpaas-reseller/config.toml`, else `~/.config/cpaas-reseller/config.toml`.
pub fn default_config_path() -> Option<PathBuf> {
    let base = env("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|home| Path::new(&home).join(".config")))?;
    Some(base.join("cpaas-reseller").join("config.toml"))
}

/// Reads the named config file (which must exist) or the default one (if it exists).
fn load_config(flag: Option<&Path>) -> Result<Option<(PathBuf, ConfigFile)>, CliError> {
    let (path, required) = match flag
        .map(Path::to_path_buf)
        .or_else(|| env(ENV_CONFIG).map(PathBuf::from))
    {
        Some(path) => (path, true),
        None => match default_config_path() {
            Some(path) => (path, false),
            None => return Ok(None),
        },
    };
    if !path.exists() {
        return if required {
            Err(CliError::Usage(format!(
                "config file {} does not exist",
                path.display()
            )))
        } else {
            Ok(None)
        };
    }
    check_private(&path)?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| CliError::Usage(format!("cannot read config file {}: {e}", path.display())))?;
    let file: ConfigFile = toml::from_str(&text).map_err(|e| {
        CliError::Usage(format!(
            "config file {}: {}",
            path.display(),
            e.message().trim()
        ))
    })?;
    Ok(Some((path, file)))
}

/// Refuses a config file that group or others can read or write: it holds the API password.
#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), CliError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| CliError::Usage(format!("cannot read config file {}: {e}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(CliError::Usage(format!(
            "refusing to use config file {path}: group or others can access it (mode {mode:04o}); \
             run: chmod 600 {path}",
            path = path.display(),
            mode = mode & 0o7777
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), CliError> {
    Ok(())
}
